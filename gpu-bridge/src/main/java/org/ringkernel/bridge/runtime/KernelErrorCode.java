package org.ringkernel.bridge.runtime;

/**
 * Why a kernel reported {@link KernelState#FAILED}; the CUDA header mirrors the codes as {@code RK_ERROR_*}.
 */
public enum KernelErrorCode implements SharedCode {
    /** The kernel has not failed. */
    NONE(0, "no error"),
    /** The kernel's implementation threw (CPU) or trapped (CUDA) while processing a batch. */
    KERNEL_EXCEPTION(1, "the kernel's implementation failed while processing a batch"),
    /** A request record's sequence stamp did not match its position: the ring was corrupted. */
    RING_CORRUPT(2, "a request record's sequence stamp did not match its ring position"),
    /** The control block's magic or layout version differs from the kernel's. */
    LAYOUT_MISMATCH(3, "the control block's magic or layout version differs from the kernel's"),
    /** The device reported a fault (illegal address, sticky CUDA error). */
    DEVICE_FAULT(4, "the device reported a fault"),
    /**
     * A worker block did not finish its part of a batch within the control block's worker stall limit while
     * the loop stayed alive; the detail is the number of blocks that did not finish.
     */
    WORKER_STALLED(5, "a worker block did not finish its part of a batch within the worker stall limit");

    private static final KernelErrorCode[] VALUES = values();

    private final int code;
    private final String description;

    KernelErrorCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    @Override
    public int code() {
        return code;
    }

    /** The error in words. */
    public String description() {
        return description;
    }

    /** The error with {@code code}. */
    public static KernelErrorCode fromCode(int code) {
        return SharedCode.decode(VALUES, code);
    }
}
