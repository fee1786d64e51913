package org.ringkernel.http;

/**
 * The route template of a request's path, e.g. {@code /api/kernels/{id}/process}: the name of its server span,
 * which must not carry ids (one name per route, however many kernels). A path no route takes is
 * {@code unmatched}.
 */
final class RouteTemplate {
    static final String UNMATCHED = "unmatched";

    private RouteTemplate() {
    }

    static String of(String path) {
        String[] parts = path.split("/", -1);
        // parts[0] is the empty text before the leading slash.
        if (parts.length < 2 || !parts[0].isEmpty()) {
            return UNMATCHED;
        }
        if (parts.length == 2) {
            return switch (parts[1]) {
                case "health", "ready" -> path;
                default -> UNMATCHED;
            };
        }
        if (parts[1].equals("api") && parts.length >= 3) {
            if (parts.length == 3 && (parts[2].equals("cluster") || parts[2].equals("kernels"))) {
                return path;
            }
            if (parts[2].equals("kernels") && parts.length == 4) {
                return "/api/kernels/{id}";
            }
            if (parts[2].equals("kernels") && parts.length == 5
                    && (parts[4].equals("process") || parts[4].equals("stream"))) {
                return "/api/kernels/{id}/" + parts[4];
            }
        }
        if (parts.length == 5 && parts[1].equals("admin") && parts[2].equals("kernels") && parts[4].equals("batching")) {
            return "/admin/kernels/{id}/batching";
        }
        return UNMATCHED;
    }
}
