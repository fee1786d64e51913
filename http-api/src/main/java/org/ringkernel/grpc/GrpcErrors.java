package org.ringkernel.grpc;

import io.grpc.Status;
import java.util.concurrent.CompletionException;
import org.apache.pekko.grpc.GrpcServiceException;
import org.ringkernel.inference.InferenceException;

/** gRPC status codes for what goes wrong, each with a message that names the problem. */
final class GrpcErrors {

    private GrpcErrors() {
    }

    static GrpcServiceException notFound(String message) {
        return of(Status.NOT_FOUND, message);
    }

    static GrpcServiceException invalidArgument(String message) {
        return of(Status.INVALID_ARGUMENT, message);
    }

    static GrpcServiceException resourceExhausted(String message) {
        return of(Status.RESOURCE_EXHAUSTED, message);
    }

    static GrpcServiceException unavailable(String message) {
        return of(Status.UNAVAILABLE, message);
    }

    /** The inference core's failure as the gRPC status of the same name. */
    static GrpcServiceException of(InferenceException e) {
        return of(Status.fromCode(Status.Code.valueOf(e.status().name())), e.getMessage());
    }

    /**
     * {@code failure} as the status it stands for: the core's failures by their status; anything else is a bug and
     * stays as it is (the gRPC handler answers it INTERNAL).
     */
    static Throwable translate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof InferenceException e ? of(e) : cause;
    }

    private static GrpcServiceException of(Status status, String message) {
        return new GrpcServiceException(status.withDescription(message));
    }
}
