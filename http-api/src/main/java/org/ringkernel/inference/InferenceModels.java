package org.ringkernel.inference;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.ringkernel.actors.InstanceStatus;
import org.ringkernel.actors.KernelInfo;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.RequestTrace;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * The kernels as the protocol's models: the server's and each model's readiness, metadata, and inference, with
 * every failure an {@link InferenceException} of the protocol's status. Both transports answer through it.
 */
public final class InferenceModels {
    private final RingKernels kernels;

    /** The kernels of {@code kernels}, as inference models. */
    public InferenceModels(RingKernels kernels) {
        this.kernels = kernels;
    }

    /** Whether the server takes inference requests: every started kernel is active. */
    public boolean serverReady() {
        return kernels.readiness().ready();
    }

    /** The server's name, version and extensions. */
    public ServerMetadata serverMetadata() {
        return ServerMetadata.current();
    }

    /** The names of the models: every kernel there is. */
    public List<String> names() {
        return kernels.knownIds();
    }

    /**
     * The metadata of model {@code name} at {@code version} (empty for any).
     *
     * @throws InferenceException {@link InferenceStatus#NOT_FOUND} for an unknown model or version
     */
    public ModelMetadata metadata(String name, String version) {
        return ModelMetadata.of(model(name, version).info().definition());
    }

    /**
     * Checks that model {@code name} at {@code version} exists, for a transport that answers an unknown model
     * before it reads the request.
     *
     * @throws InferenceException {@link InferenceStatus#NOT_FOUND} for an unknown model or version
     */
    public void requireModel(String name, String version) {
        model(name, version);
    }

    /**
     * Whether model {@code name} takes requests now: at least one of its instances is active.
     *
     * @throws InferenceException {@link InferenceStatus#NOT_FOUND} for an unknown model or version
     */
    public boolean ready(String name, String version) {
        KernelInfo info = model(name, version).info();
        return info.instances().stream().anyMatch(instance -> instance.phase() == InstanceStatus.Phase.ACTIVE);
    }

    /**
     * Runs {@code request} on model {@code name} within {@code timeLeft}; a request whose time is already up is
     * not run. The stage fails with an {@link InferenceException} naming what went wrong.
     */
    public CompletionStage<InferenceResponse> infer(String name, String version, InferenceRequest request,
                                                    Duration timeLeft, RequestTrace trace) {
        KernelRef kernel;
        KernelRequest kernelRequest;
        KernelDefinition definition;
        try {
            kernel = model(name, version);
            definition = kernel.info().definition();
            kernelRequest = request.toKernelRequest(definition);
        } catch (InferenceException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (timeLeft.isNegative() || timeLeft.isZero()) {
            return CompletableFuture.failedFuture(new InferenceException(InferenceStatus.DEADLINE_EXCEEDED,
                    "model '" + name + "': the request's deadline passed before it reached the kernel; it was not run"));
        }
        return kernel.process(kernelRequest, timeLeft, trace).handle((result, failure) -> {
            if (failure != null) {
                throw explain(failure);
            }
            return InferenceResponse.of(name, definition.signature().outputs(), request, result.outputs());
        });
    }

    /**
     * The kernel of model {@code name} at {@code version}, for transports that stream requests to it.
     *
     * @throws InferenceException {@link InferenceStatus#NOT_FOUND} for an unknown model or version
     */
    public KernelRef model(String name, String version) {
        if (!ModelMetadata.hasVersion(version)) {
            throw new InferenceException(InferenceStatus.NOT_FOUND, "model '" + name + "' has no version '" + version
                    + "'; its one version is " + ModelMetadata.VERSION);
        }
        try {
            return kernels.kernel(name);
        } catch (KernelRequestException e) {
            throw explain(e);
        }
    }

    /** {@code failure} of a kernel request as the protocol's failure; anything unforeseen is INTERNAL. */
    public static InferenceException explain(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof InferenceException inference) {
            return inference;
        }
        if (cause instanceof KernelRequestException request) {
            return new InferenceException(InferenceStatus.of(request.code()), request.getMessage());
        }
        return new InferenceException(InferenceStatus.INTERNAL, "the request failed: " + cause);
    }
}
