package org.ringkernel.bridge.kernel;

/**
 * One scalar param of a kernel's signature, passed to the kernel as float32.
 *
 * @param name the name callers use, e.g. {@code "alpha"}
 * @param defaultValue the value when a request leaves it out
 * @param min smallest accepted value
 * @param max largest accepted value
 * @param integral whether only whole numbers are accepted (flags, counts)
 * @param description what it does, including what the default means
 */
public record ParamSpec(String name, double defaultValue, double min, double max, boolean integral,
                        String description) {

    /** A param that accepts any finite float32 value. */
    public static ParamSpec anyFinite(String name, double defaultValue, String description) {
        return new ParamSpec(name, defaultValue, -Float.MAX_VALUE, Float.MAX_VALUE, false, description);
    }

    /** A param that accepts values in [min, max]. */
    public static ParamSpec range(String name, double defaultValue, double min, double max, String description) {
        return new ParamSpec(name, defaultValue, min, max, false, description);
    }

    /** A whole-number param in [min, max]. */
    public static ParamSpec integral(String name, int defaultValue, int min, int max, String description) {
        return new ParamSpec(name, defaultValue, min, max, true, description);
    }

    /** Whether {@code value} is acceptable for this param. */
    public boolean accepts(double value) {
        return Double.isFinite(value) && value >= min && value <= max && (!integral || value == Math.rint(value));
    }

    /** What values are acceptable, for messages. */
    public String expectation() {
        if (!integral && min == -Float.MAX_VALUE && max == Float.MAX_VALUE) {
            return "a finite float32 value";
        }
        return (integral ? "a whole number" : "a finite value") + " in [" + format(min) + ", " + format(max) + "]";
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }
}
