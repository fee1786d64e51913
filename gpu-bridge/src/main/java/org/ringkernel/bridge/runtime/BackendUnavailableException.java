package org.ringkernel.bridge.runtime;

/** The backend that was asked for cannot run here; the message says which, why, and what to do instead. */
public final class BackendUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** No backend can run, {@code message} saying why. */
    public BackendUnavailableException(String message) {
        super(message);
    }
}
