package org.ringkernel.grpc;

import io.grpc.Status;
import java.util.concurrent.CompletionException;
import org.apache.pekko.grpc.GrpcServiceException;
import org.ringkernel.actors.KernelRequestException;

/** gRPC status codes for what goes wrong, each with a message that names the problem. */
final class GrpcErrors {

    private GrpcErrors() {
    }

    static GrpcServiceException invalidArgument(String message) {
        return of(Status.INVALID_ARGUMENT, message);
    }

    static GrpcServiceException notFound(String message) {
        return of(Status.NOT_FOUND, message);
    }

    static GrpcServiceException deadlineExceeded(String message) {
        return of(Status.DEADLINE_EXCEEDED, message);
    }

    static GrpcServiceException resourceExhausted(String message) {
        return of(Status.RESOURCE_EXHAUSTED, message);
    }

    /** The status a kernel's answer maps to; its message is the kernel's, which names the kernel. */
    static GrpcServiceException of(KernelRequestException e) {
        Status status = switch (e.code()) {
            case INVALID_INPUT -> Status.INVALID_ARGUMENT;
            case UNKNOWN_KERNEL -> Status.NOT_FOUND;
            case OVERLOADED -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case TIMEOUT -> Status.DEADLINE_EXCEEDED;
            case KERNEL_FAILED -> Status.INTERNAL;
        };
        return of(status, e.getMessage());
    }

    /**
     * {@code failure} as the status it stands for: a {@link GrpcServiceException} as it is, a kernel's answer by
     * its code; anything else is a bug and stays as it is (the gRPC handler answers it INTERNAL).
     */
    static Throwable translate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof KernelRequestException e) {
            return of(e);
        }
        return cause;
    }

    /** The line a streamed error carries: the status code's name and the message, as in {@code NOT_FOUND: ...}. */
    static String describe(GrpcServiceException e) {
        return e.status().getCode().name() + ": " + e.status().getDescription();
    }

    private static GrpcServiceException of(Status status, String message) {
        return new GrpcServiceException(status.withDescription(message));
    }
}
