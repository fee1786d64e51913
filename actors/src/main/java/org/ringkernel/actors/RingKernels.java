package org.ringkernel.actors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.ringkernel.bridge.Backends;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.BackendSelection;
import org.ringkernel.kernels.builtin.BuiltinKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the bridge in an actor system: kernels by id, registration of custom kernels,
 * listings, readiness and (where enabled) fault injection.
 *
 * <pre>{@code
 * RingKernels rk = RingKernels.get(system);
 * KernelRef square = rk.kernel("square");
 * square.process(KernelRequest.of(Tensor.of(1f, 2f, 3f))).thenAccept(r -> System.out.println(r.output()));
 * }</pre>
 *
 * <p>Created on first use: it reads {@link RingKernelSettings}, selects the backend (failing at once with
 * the reason when the configured one cannot run), starts the supervision tree and the kernels listed in
 * {@code ringkernel.kernels.start}.
 */
public final class RingKernels implements Extension {
    private static final Logger LOG = LoggerFactory.getLogger(RingKernels.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final ActorSystem<?> system;
    private final RingKernelSettings settings;
    private final BackendSelection selection;
    private final KernelDirectory directory = new KernelDirectory();
    private final ConcurrentHashMap<String, KernelDefinition> registered = new ConcurrentHashMap<>();
    private final ActorRef<DeviceSupervisor.Command> guardian;

    private RingKernels(ActorSystem<?> system) {
        this.system = system;
        this.settings = RingKernelSettings.fromConfig(system.settings().config(), System.getenv());
        this.selection = Backends.select(settings.bridge(), Backends.providers());
        LOG.info("ringkernel backend {} ({} requested): {}", selection.chosen().configName(),
                selection.requested().configName(), selection.reason());
        this.guardian = system.systemActorOf(RingKernelGuardian.create(settings, selection, directory), "ringkernel",
                Props.empty());
        for (String id : settings.startKernels()) {
            start(BuiltinKernels.get(id));
        }
    }

    /** The extension of {@code system}, created on first use. */
    public static RingKernels get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /**
     * The kernel with this id; a built-in kernel not started with the system starts now.
     *
     * @throws UnknownKernelException naming the id and the kernels there are
     * @throws KernelUnavailableException when it would start a kernel past {@code ringkernel.kernels.max}
     */
    public KernelRef kernel(String id) {
        Optional<KernelDirectory.Entry> running = directory.find(id);
        if (running.isPresent()) {
            return ref(id, running.get().ref());
        }
        KernelDefinition definition = Optional.ofNullable(registered.get(id)).or(() -> BuiltinKernels.find(id))
                .orElseThrow(() -> new UnknownKernelException(id, "no kernel '" + id + "'; the kernels are "
                        + String.join(", ", knownIds())));
        return start(definition);
    }

    /**
     * Registers and starts a custom kernel; it then behaves like a built-in.
     *
     * @throws IllegalArgumentException when a kernel with its id exists
     * @throws KernelUnavailableException when {@code ringkernel.kernels.max} kernels run already
     */
    public KernelRef register(KernelDefinition definition) {
        if (BuiltinKernels.find(definition.id()).isPresent()
                || registered.putIfAbsent(definition.id(), definition) != null) {
            throw new IllegalArgumentException("a kernel '" + definition.id() + "' exists already");
        }
        try {
            return start(definition);
        } catch (RuntimeException e) {
            registered.remove(definition.id());
            throw e;
        }
    }

    private KernelRef start(KernelDefinition definition) {
        if (directory.find(definition.id()).isEmpty() && directory.all().size() >= settings.maxKernels()) {
            throw new KernelUnavailableException(definition.id(), "kernel '" + definition.id() + "' cannot start: "
                    + settings.maxKernels() + " kernels run already, the most ringkernel.kernels.max allows");
        }
        try {
            ActorRef<KernelCommand> ref = AskPattern.<DeviceSupervisor.Command, ActorRef<KernelCommand>>askWithStatus(
                    guardian, replyTo -> new DeviceSupervisor.StartKernel(definition, replyTo), START_TIMEOUT,
                    system.scheduler()).toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return ref(definition.id(), ref);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting kernel '" + definition.id() + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("kernel '" + definition.id() + "' did not start: " + e.getMessage(), e);
        }
    }

    /** A handle whose requests skip the supervisor when the kernel has one instance (listed before it answers start). */
    private KernelRef ref(String id, ActorRef<KernelCommand> supervisor) {
        ActorRef<KernelCommand> front = directory.find(id).map(KernelDirectory.Entry::front).orElse(supervisor);
        return new KernelRef(id, supervisor, front, system, directory, settings.requestTimeout(),
                settings.bridge().instance().capacity());
    }

    private List<String> knownIds() {
        List<String> ids = new ArrayList<>(BuiltinKernels.ids());
        ids.addAll(registered.keySet().stream().sorted().toList());
        return ids;
    }

    /** Every started kernel, by id. */
    public List<KernelInfo> kernels() {
        return directory.all();
    }

    /** Whether every started kernel takes requests, and which do not. */
    public Readiness readiness() {
        List<String> problems = new ArrayList<>();
        for (KernelInfo info : directory.all()) {
            if (!info.available()) {
                problems.add("kernel '" + info.id() + "' is " + info.phase().name().toLowerCase(Locale.ROOT)
                        + info.instances().stream().flatMap(i -> i.lastFailure().stream()).findFirst()
                        .map(f -> ": " + f).orElse(""));
            }
        }
        return new Readiness(problems.isEmpty(), problems);
    }

    /** The backend running the kernels, in words. */
    public String backend() {
        return selection.chosen().configName();
    }

    public RingKernelSettings settings() {
        return settings;
    }

    /**
     * Fault injection for drills and tests.
     *
     * @throws IllegalStateException unless {@code ringkernel.debug.fault-injection = on}
     */
    public FaultInjection faults() {
        if (!settings.faultInjection()) {
            throw new IllegalStateException("fault injection is off; set ringkernel.debug.fault-injection = on to use it");
        }
        return new FaultInjection(this, guardian, system);
    }

    private static final class Id extends ExtensionId<RingKernels> {
        private static final Id INSTANCE = new Id();

        @Override
        public RingKernels createExtension(ActorSystem<?> system) {
            return new RingKernels(system);
        }
    }
}
