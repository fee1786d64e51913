package org.ringkernel.bridge.runtime;

/**
 * Wakes a kernel's loop that may be idling after new requests or a command were published. On the CPU it
 * unparks the loop's thread; a GPU kernel polls and needs none.
 */
@FunctionalInterface
public interface Doorbell {
    /** Wakes the kernel's loop. */
    void ring();
}
