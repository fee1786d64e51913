package org.ringkernel.actors;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.ringkernel.bridge.runtime.InjectedFault;

/**
 * Drills for operators and tests: make a kernel instance fail, hang or stall a worker on its next batch, or
 * fail a whole device. Available only where {@code ringkernel.debug.fault-injection = on}.
 */
public final class FaultInjection {
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final RingKernels kernels;
    private final Optional<ActorRef<DeviceSupervisor.Command>> device;
    private final ActorSystem<?> system;

    /** @param device this node's device, absent on a cluster node that hosts no kernels */
    FaultInjection(RingKernels kernels, Optional<ActorRef<DeviceSupervisor.Command>> device, ActorSystem<?> system) {
        this.kernels = kernels;
        this.device = device;
        this.system = system;
    }

    /**
     * Instance {@code instance} of {@code kernelId} fails on its next batch, as if its implementation threw; in a
     * cluster, the instance of entity {@code kernelId#instance}, wherever it runs.
     */
    public CompletionStage<Done> failNextBatch(String kernelId, int instance) {
        return inject(kernelId, instance, InjectedFault.FAIL_NEXT_BATCH);
    }

    /** Instance {@code instance} of {@code kernelId} hangs on its next batch; its heartbeat stops. */
    public CompletionStage<Done> hangNextBatch(String kernelId, int instance) {
        return inject(kernelId, instance, InjectedFault.HANG_NEXT_BATCH);
    }

    /**
     * A worker of instance {@code instance} of {@code kernelId} stalls on its next batch while the heartbeat goes
     * on: nothing completes, and the watchdog finds it by the missing progress (on CUDA the kernel also reports
     * {@code WORKER_STALLED} on its own after its bounded wait).
     */
    public CompletionStage<Done> stallWorker(String kernelId, int instance) {
        return inject(kernelId, instance, InjectedFault.STALL_WORKER);
    }

    /**
     * The device fails as a whole: it is opened anew and every kernel on it relaunched.
     *
     * @throws IllegalStateException on a cluster node that hosts no kernels
     */
    public CompletionStage<Done> failDevice(String reason) {
        return AskPattern.askWithStatus(device.orElseThrow(() -> new IllegalStateException(
                        "this node hosts no kernels, so it has no device to fail")), replyTo -> new DeviceSupervisor.RestartDevice(reason, replyTo),
                ASK_TIMEOUT, system.scheduler());
    }

    private CompletionStage<Done> inject(String kernelId, int instance, InjectedFault fault) {
        ActorRef<KernelCommand> kernel = kernels.kernel(kernelId).supervisor();
        return AskPattern.askWithStatus(kernel, replyTo -> new KernelCommand.InjectFault(instance, fault, replyTo),
                ASK_TIMEOUT, system.scheduler());
    }
}
