package org.ringkernel.bridge.runtime;

/**
 * What the host asks of a kernel instance through its control block; the CUDA header mirrors the codes as
 * {@code RK_COMMAND_*}. The host writes a command with release; the kernel polls it with acquire.
 */
public enum KernelCommand implements SharedCode {
    /** No command yet: a launched kernel waits. */
    NONE(0),
    /** Take and process requests (activate, and resume after a pause). */
    RUN(1),
    /** Stop taking requests; finish nothing new until {@link #RUN}. */
    PAUSE(2),
    /** Stop the loop and report {@link KernelState#TERMINATED}. */
    TERMINATE(3);

    private static final KernelCommand[] VALUES = values();

    private final int code;

    KernelCommand(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    /** The command with {@code code}. */
    public static KernelCommand fromCode(int code) {
        return SharedCode.decode(VALUES, code);
    }
}
