package org.ringkernel.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format: every line is blank, a comment ({@code # HELP} and
 * {@code # TYPE} checked), or {@code name{labels} value}; each sample belongs to a family whose TYPE came
 * first, and a family is typed once. Anything else fails with the line's number and text.
 */
final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample: its name, labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {
        String label(String key) {
            return labels.get(key);
        }
    }

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusText() {
    }

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            try {
                parsed.line(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " '" + lines[i] + "': " + e.getMessage(), e);
            }
        }
        return parsed;
    }

    private void line(String line) {
        if (line.isBlank()) {
            return;
        }
        if (line.startsWith("#")) {
            comment(line);
            return;
        }
        Matcher sample = SAMPLE.matcher(line);
        require(sample.matches(), "neither a comment nor 'name{labels} value'");
        String name = sample.group(1);
        String family = family(name);
        require(family != null, "no # TYPE before the sample " + name);
        samples.add(new Sample(name, labels(sample.group(3)), value(sample.group(4))));
    }

    private void comment(String line) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            require(NAME.matcher(parts[2]).matches(), "bad metric name in " + parts[1]);
            if (parts[1].equals("TYPE")) {
                require(parts.length == 4 && TYPES.contains(parts[3]), "unknown type");
                require(types.put(parts[2], parts[3]) == null, "a second # TYPE for " + parts[2]);
                require(samples.stream().noneMatch(s -> Objects.equals(family(s.name()), parts[2])),
                        "# TYPE after samples of " + parts[2]);
            }
        }
    }

    /** The family a sample name belongs to: itself, or a histogram's or summary's for its parts. */
    private String family(String name) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            require(label.find(at) && label.start() == at, "bad label at '" + text.substring(at) + "'");
            require(labels.put(label.group(1), label.group(2)) == null, "label " + label.group(1) + " twice");
            at = label.end();
            if (at < text.length()) {
                require(text.charAt(at) == ',', "labels not separated by commas");
                at++;
            }
        }
        return labels;
    }

    private static double value(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a number");
                }
        }
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The families and their types. */
    Map<String, String> types() {
        return types;
    }

    List<Sample> samples() {
        return samples;
    }

    /** The value of the sample {@code name} whose labels include {@code labels}; 0 when there is none. */
    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    /** Whether a sample named {@code name} exists. */
    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Each histogram series: its labels (without {@code le}) and buckets by upper bound, with sum and count. */
    List<Histogram> histograms() {
        Map<String, Map<Map<String, String>, Histogram>> byFamily = new TreeMap<>();
        for (Sample sample : samples) {
            String family = family(sample.name());
            if (!"histogram".equals(types.get(family))) {
                continue;
            }
            Map<String, String> series = new TreeMap<>(sample.labels());
            String le = series.remove("le");
            Histogram histogram = byFamily.computeIfAbsent(family, f -> new LinkedHashMap<>())
                    .computeIfAbsent(series, s -> new Histogram(family, s, new TreeMap<>(), new double[2]));
            if (sample.name().endsWith("_bucket")) {
                require(le != null, sample.name() + " without le");
                histogram.buckets().put(value(le), sample.value());
            } else if (sample.name().endsWith("_sum")) {
                histogram.sumAndCount()[0] = sample.value();
            } else {
                histogram.sumAndCount()[1] = sample.value();
            }
        }
        List<Histogram> all = new ArrayList<>();
        byFamily.values().forEach(series -> all.addAll(series.values()));
        return all;
    }

    /** One histogram series. */
    record Histogram(String family, Map<String, String> labels, TreeMap<Double, Double> buckets, double[] sumAndCount) {
        double sum() {
            return sumAndCount[0];
        }

        double count() {
            return sumAndCount[1];
        }
    }
}
