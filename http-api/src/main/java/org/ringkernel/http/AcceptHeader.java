package org.ringkernel.http;

import java.util.Locale;

/** Whether an {@code Accept} header takes a media type: one of its ranges matches it with a quality above 0. */
final class AcceptHeader {
    private AcceptHeader() {
    }

    /**
     * @param accept the header's value, e.g. {@code application/json;q=0.9, text/plain}
     * @param mediaType a media type without parameters, lower case
     */
    static boolean accepts(String accept, String mediaType) {
        String main = mediaType.substring(0, mediaType.indexOf('/'));
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            boolean matches = type.equals("*/*") || type.equals(main + "/*") || type.equals(mediaType);
            if (matches && quality(parts) > 0) {
                return true;
            }
        }
        return false;
    }

    /** The range's {@code q}, 1 without one; a {@code q} that is no number counts as 0, so it never matches. */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].strip().split("=", 2);
            if (param.length == 2 && param[0].strip().equalsIgnoreCase("q")) {
                try {
                    return Double.parseDouble(param[1].strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
