package org.ringkernel.http;

import java.util.List;

/**
 * The route template a request path matched, for the HTTP metrics' {@code route} label and the name of the
 * request's server span: {@code {id}} and {@code {name}} stand for a kernel id, {@code {version}} for a model's
 * version, and a path no route takes is {@code unmatched},
 * so the label's values and the span names stay few whatever clients send.
 */
final class RouteTemplates {
    static final String UNMATCHED = "unmatched";
    private static final List<String> TEMPLATES = List.of("/", "/status", "/health", "/ready", "/metrics", "/api/status", "/api/cluster",
            "/api/kernels", "/api/kernels/{id}", "/api/kernels/{id}/process", "/api/kernels/{id}/stream",
            "/admin/kernels/{id}/batching", "/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/{name}",
            "/v2/models/{name}/ready", "/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}",
            "/v2/models/{name}/versions/{version}/ready", "/v2/models/{name}/versions/{version}/infer");

    /** Each template's segments, split once: every request is matched against them. */
    private static final List<String[]> TEMPLATE_SEGMENTS = TEMPLATES.stream().map(RouteTemplates::segments).toList();

    private RouteTemplates() {
    }

    /** The template {@code path} matches, or {@link #UNMATCHED}. */
    static String of(String path) {
        String[] segments = segments(path);
        for (int t = 0; t < TEMPLATES.size(); t++) {
            if (matches(TEMPLATE_SEGMENTS.get(t), segments)) {
                return TEMPLATES.get(t);
            }
        }
        return UNMATCHED;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    private static boolean matches(String[] template, String[] path) {
        if (template.length != path.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            boolean any = template[i].startsWith("{");
            if (any ? path[i].isEmpty() : !template[i].equals(path[i])) {
                return false;
            }
        }
        return true;
    }
}
