package org.ringkernel.bridge.runtime;

/**
 * The outcome of {@link KernelInstance#terminate}.
 *
 * @param stopped whether the loop stopped within the timeout
 * @param state the state it reported last
 * @param message what happened, in words (names the kernel and, when it did not stop, how long was waited)
 */
public record Termination(boolean stopped, KernelState state, String message) {
}
