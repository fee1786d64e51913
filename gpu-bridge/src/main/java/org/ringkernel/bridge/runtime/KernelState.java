package org.ringkernel.bridge.runtime;

/**
 * The state a kernel instance reports in its control block. The codes are part of the shared layout; the
 * CUDA header defines the same numbers as {@code RK_STATE_*}.
 */
public enum KernelState implements SharedCode {
    /** Memory is set up but the kernel's loop has not reported yet. */
    CREATED(0),
    /** The loop runs and waits to be activated; requests queue but are not taken. */
    LAUNCHED(1),
    /** The loop takes and processes requests. */
    ACTIVE(2),
    /** The loop runs but takes no requests until resumed. */
    PAUSED(3),
    /** The loop saw the terminate command and is stopping. */
    TERMINATING(4),
    /** The loop has stopped; the instance takes nothing more. */
    TERMINATED(5),
    /** The loop stopped on an error; the control block's error code says which. */
    FAILED(6);

    private static final KernelState[] VALUES = values();

    private final int code;

    KernelState(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    /** True once the loop has stopped for good, by request or by failure. */
    public boolean isFinal() {
        return this == TERMINATED || this == FAILED;
    }

    /** The state with {@code code}. */
    public static KernelState fromCode(int code) {
        return SharedCode.decode(VALUES, code);
    }
}
