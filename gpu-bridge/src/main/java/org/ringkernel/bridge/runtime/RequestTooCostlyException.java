package org.ringkernel.bridge.runtime;

/**
 * A request refused before it was staged: its estimated time on one block of a GPU ring kernel reaches the
 * time at which the kernel would be taken for hung, and its kernel has no launch path to run it instead.
 */
public final class RequestTooCostlyException extends RuntimeException {

    /** A request too costly for the ring, {@code message} saying its estimate and the limit. */
    public RequestTooCostlyException(String message) {
        super(message);
    }
}
