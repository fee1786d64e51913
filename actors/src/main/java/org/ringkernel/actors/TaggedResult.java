package org.ringkernel.actors;

/**
 * The answer to a {@link KernelCommand.ProcessTagged}: the caller's tag and the result, which carries the error in
 * its place when the request failed ({@link KernelResult#error()}).
 *
 * @param tag the tag the request was sent with
 * @param result its result or error
 */
public record TaggedResult(long tag, KernelResult result) {
}
