package org.ringkernel.grpc.client;

/**
 * What {@link InferenceClient#stream()} emits for each request: its result, or the server's message saying why that
 * one request failed (the stream goes on; the protocol reports per-request errors in the stream, not as its end).
 */
public sealed interface StreamReply {
    /** The id of the request this answers. */
    String id();

    /** A request that ran. */
    record Answered(InferResult result) implements StreamReply {
        @Override
        public String id() {
            return result.id();
        }
    }

    /** A request that failed; {@code message} is the server's, naming the problem. */
    record Failed(String model, String id, String message) implements StreamReply {
    }
}
