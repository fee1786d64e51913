package org.ringkernel.actors;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;
import org.ringkernel.actors.metrics.RuntimeMetrics;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendSelection;

/**
 * Owns one device: its backend and its completion poller, opened in setup and closed when it stops. It
 * starts a {@link KernelSupervisor} per kernel, and restarts the device (new backend, new poller, every
 * kernel relaunched) when the device fails as a whole.
 */
final class DeviceSupervisor extends AbstractBehavior<DeviceSupervisor.Command> {

    /** What the device supervisor takes. */
    sealed interface Command permits StartKernel, StopKernel, KernelStopped, RestartDevice, DeviceFaulted,
            SampleMemory {
    }

    /**
     * Start a kernel supervisor of {@code definition} with {@code instances} instances, listed as {@code name}, or
     * answer with the ref of the one running under that name.
     */
    record StartKernel(KernelDefinition definition, String name, int instances,
                       ActorRef<StatusReply<ActorRef<KernelCommand>>> replyTo) implements Command {
    }

    /** Stop the kernel listed as {@code name}: its instances answer what they hold, and it leaves the listing. */
    record StopKernel(String name) implements Command {
    }

    /** The kernel supervisor listed as {@code name} stopped. */
    private record KernelStopped(String name, ActorRef<KernelCommand> supervisor) implements Command {
    }

    /** The device failed as a whole: open it anew and relaunch every kernel on it. */
    record RestartDevice(String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** The backend opened as restart {@code restart} failed as a whole (a sticky CUDA error). */
    private record DeviceFaulted(String reason, int restart) implements Command {
    }

    /** Time to record the device's memory. */
    private enum SampleMemory implements Command {
        INSTANCE
    }

    /** As often as a scrape would look; reading the numbers costs a few field reads. */
    private static final Duration MEMORY_SAMPLE_INTERVAL = Duration.ofSeconds(1);

    private final RingKernelSettings settings;
    private final BackendSelection selection;
    private final KernelDirectory directory;
    private final Supplier<Collection<KernelDefinition>> known;
    private final Map<String, ActorRef<KernelCommand>> kernels = new LinkedHashMap<>();
    private final RuntimeMetrics metrics;
    private DeviceHandle device;
    private int restarts;

    /**
     * @param first the backend to start on, opened by {@link #openBackend}
     * @param known every kernel known now, which each backend opened on a restart prepares
     */
    static Behavior<Command> create(RingKernelSettings settings, BackendSelection selection, KernelDirectory directory,
                                    Backend first, Supplier<Collection<KernelDefinition>> known) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            if (settings.telemetry().enabled()) {
                timers.startTimerWithFixedDelay(SampleMemory.INSTANCE, Duration.ZERO, MEMORY_SAMPLE_INTERVAL);
            }
            return new DeviceSupervisor(context, settings, selection, directory, first, known);
        }));
    }

    /**
     * Opens the selected backend and prepares it for {@code known}, with as many instances of each as the
     * settings ask: before any persistent kernel starts, so that loading their code cannot wait behind one.
     *
     * @throws IllegalStateException when the device cannot hold them, naming why; the backend is closed
     */
    static Backend openBackend(RingKernelSettings settings, BackendSelection selection,
                               Collection<KernelDefinition> known) {
        Backend backend = selection.provider().open(settings.bridge());
        try {
            backend.preload(known, settings.instances());
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private DeviceSupervisor(ActorContext<Command> context, RingKernelSettings settings, BackendSelection selection,
                             KernelDirectory directory, Backend first, Supplier<Collection<KernelDefinition>> known) {
        super(context);
        this.settings = settings;
        this.selection = selection;
        this.directory = directory;
        this.known = known;
        this.metrics = RuntimeMetrics.of(settings.telemetry());
        this.device = handle(first);
    }

    private DeviceHandle handle(Backend backend) {
        DeviceHandle opened = new DeviceHandle(backend,
                new CompletionPoller("ringkernel-poller-" + selection.chosen().configName() + "-" + restarts,
                        settings.pollerIdle()));
        int restart = restarts;
        ActorRef<Command> self = getContext().getSelf();
        opened.backend().onDeviceFault(reason -> self.tell(new DeviceFaulted(reason, restart)));
        return opened;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(StartKernel.class, this::onStartKernel)
                .onMessage(StopKernel.class, this::onStopKernel)
                .onMessage(KernelStopped.class, this::onKernelStopped)
                .onMessage(RestartDevice.class, this::onRestartDevice)
                .onMessage(DeviceFaulted.class, this::onDeviceFaulted)
                .onMessage(SampleMemory.class, sample -> onSampleMemory())
                .onSignal(PostStop.class, signal -> onStop())
                .build();
    }

    private Behavior<Command> onStartKernel(StartKernel start) {
        String name = start.name();
        ActorRef<KernelCommand> kernel = kernels.get(name);
        if (kernel == null) {
            // The new supervisor answers the caller itself, once its instances exist and are listed.
            kernel = getContext().spawn(KernelSupervisor.create(start.definition(), name, start.instances(), settings,
                    device, directory, start.replyTo()), "kernel-" + URLEncoder.encode(name, StandardCharsets.UTF_8));
            getContext().watchWith(kernel, new KernelStopped(name, kernel));
            kernels.put(name, kernel);
        } else {
            start.replyTo().tell(StatusReply.success(kernel));
        }
        return this;
    }

    private Behavior<Command> onStopKernel(StopKernel stop) {
        ActorRef<KernelCommand> kernel = kernels.get(stop.name());
        if (kernel != null) {
            getContext().stop(kernel);
        }
        return this;
    }

    private Behavior<Command> onKernelStopped(KernelStopped stopped) {
        if (kernels.remove(stopped.name(), stopped.supervisor())) {
            directory.remove(stopped.name());
        }
        return this;
    }

    private Behavior<Command> onRestartDevice(RestartDevice restart) {
        restartDevice(restart.reason());
        restart.replyTo().tell(StatusReply.ack());
        return this;
    }

    private Behavior<Command> onDeviceFaulted(DeviceFaulted faulted) {
        // A fault of a backend already replaced was answered by that restart.
        if (faulted.restart() == restarts) {
            restartDevice(faulted.reason());
        }
        return this;
    }

    private Behavior<Command> onSampleMemory() {
        metrics.deviceMemory(device.backend().memory());
        return this;
    }

    private void restartDevice(String reason) {
        EventStreamLog.of(getContext().getSystem(), DeviceSupervisor.class).warning("restarting device "
                + selection.chosen().configName() + " (" + device.backend().description() + "): " + reason);
        DeviceHandle old = device;
        restarts++;
        metrics.deviceRestarted();
        device = handle(openBackend(settings, selection, known.get()));
        InternalKernelCommand.DeviceRestarted restarted = new InternalKernelCommand.DeviceRestarted(device, reason);
        kernels.values().forEach(kernel -> kernel.tell(restarted));
        // Kernel actors abandon their old instances as they take the message; what the old backend still
        // runs is terminated when it closes.
        old.poller().close();
        old.backend().close();
    }

    private Behavior<Command> onStop() {
        device.poller().close();
        device.backend().close();
        return this;
    }
}
