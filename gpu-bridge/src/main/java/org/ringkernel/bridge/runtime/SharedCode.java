package org.ringkernel.bridge.runtime;

/**
 * An enum whose constants travel through shared memory as int codes; the CUDA header defines the same
 * numbers, so a code is never reused for another meaning.
 */
public interface SharedCode {

    /** The number that stands for the constant in shared memory. */
    int code();

    /**
     * The constant of {@code values} with {@code code}.
     *
     * @throws IllegalArgumentException naming the enum and the code when no constant has it
     */
    static <E extends Enum<E> & SharedCode> E decode(E[] values, int code) {
        for (E value : values) {
            if (value.code() == code) {
                return value;
            }
        }
        String type = values.length == 0 ? "shared" : values[0].getDeclaringClass().getSimpleName();
        throw new IllegalArgumentException("unknown " + type + " code " + code);
    }
}
