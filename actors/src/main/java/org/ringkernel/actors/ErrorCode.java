package org.ringkernel.actors;

/** What went wrong with a request, as a stable code that protocols map to their own (HTTP status, gRPC code). */
public enum ErrorCode {
    /** The request does not fit the kernel: shapes, params, values, or size. */
    INVALID_INPUT,
    /** No kernel has the requested id. */
    UNKNOWN_KERNEL,
    /** No result arrived before the request's deadline. */
    TIMEOUT,
    /** The kernel's ring and wait queue are full; retry later. */
    OVERLOADED,
    /** The kernel failed while the request was in flight; the kernel is being restarted. */
    KERNEL_FAILED,
    /** The kernel cannot take requests now (restart budget exhausted, or stopping). */
    UNAVAILABLE
}
