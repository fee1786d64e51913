package org.ringkernel.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kernel params given in the query string of a binary request (octet-stream, or a {@link ProcessFormat}): each
 * parameter once, each value a plain decimal number as JSON writes it.
 */
final class QueryParams {
    /** A number as JSON writes it: no sign but '-', no hex, no NaN or Infinity, no type suffix, no spaces. */
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private QueryParams() {
    }

    /** @throws BadRequestException when a parameter is given more than once */
    static void requireOnce(Map<String, List<String>> query) {
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            if (entry.getValue().size() > 1) {
                throw BadRequestException.invalid("query parameter '" + entry.getKey() + "' is given "
                        + entry.getValue().size() + " times; give each once");
            }
        }
    }

    /**
     * The params of {@code query}, in its order, leaving out the parameters named in {@code notParams}.
     *
     * @throws BadRequestException when a parameter is given more than once or a value is not a plain decimal
     */
    static Map<String, Double> parse(Map<String, List<String>> query, Set<String> notParams) {
        requireOnce(query);
        Map<String, Double> params = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            if (notParams.contains(entry.getKey())) {
                continue;
            }
            String value = entry.getValue().get(0);
            double number = DECIMAL.matcher(value).matches() ? Double.parseDouble(value) : Double.NaN;
            if (!Double.isFinite(number)) {
                throw BadRequestException.invalid("param " + entry.getKey() + " must be a number, got '" + value
                        + "'; write it as a plain decimal such as 3, -0.5 or 1e-3");
            }
            params.put(entry.getKey(), number);
        }
        return params;
    }
}
