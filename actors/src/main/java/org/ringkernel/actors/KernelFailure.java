package org.ringkernel.actors;

/**
 * A kernel actor's own bookkeeping broke (e.g. a completion matches no request in flight). Its supervisor
 * restarts the actor; before that, every request it holds is answered and its instance released.
 */
final class KernelFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KernelFailure(String message) {
        super(message);
    }
}
