package org.ringkernel.actors;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
import org.ringkernel.actors.cluster.ClusterSettings;
import org.ringkernel.actors.cluster.ShardedKernels;
import org.ringkernel.bridge.Backends;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendSelection;
import org.ringkernel.kernels.builtin.BuiltinKernels;

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
 * the reason when the configured one cannot run), starts the supervision tree and the kernels that
 * {@code ringkernel.kernels.start} names: by default none, so that an application pays (a kernel loop, its rings
 * and arena) only for the kernels it asks for; the server starts them all.
 */
public final class RingKernels implements Extension {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final ActorSystem<?> system;
    private final RingKernelSettings settings;
    private final ClusterSettings clusterSettings;
    private final Optional<BackendSelection> selection;
    private final KernelDirectory directory = new KernelDirectory();
    private final ConcurrentHashMap<String, KernelDefinition> registered = new ConcurrentHashMap<>();
    private final Optional<ActorRef<DeviceSupervisor.Command>> guardian;
    private final List<String> notes;
    private final String deviceDescription;
    private final Optional<ShardedKernels> cluster;
    private final SystemShutdown shutdown;

    private RingKernels(ActorSystem<?> system) {
        if (system.whenTerminated().isCompleted()) {
            throw new IllegalStateException("actor system '" + system.name() + "' has terminated; RingKernels cannot"
                    + " start on it");
        }
        this.system = system;
        this.shutdown = SystemShutdown.watch(system);
        EventStreamLog log = EventStreamLog.of(system, RingKernels.class);
        Config config = system.settings().config();
        this.settings = RingKernelSettings.fromConfig(config, System.getenv());
        this.clusterSettings = ClusterSettings.fromConfig(config);
        boolean hosts = !clusterSettings.enabled() || clusterSettings.hostsKernels();
        this.selection = hosts ? Optional.of(Backends.select(settings.bridge(), Backends.providers(), known()))
                : Optional.empty();
        this.notes = selection.map(this::notesOn).orElse(List.of());
        Optional<Backend> first = selection.map(chosen -> {
            log.info("ringkernel backend " + chosen.chosen().configName() + " (" + chosen.requested().configName()
                    + " requested): " + chosen.reason());
            notes.forEach(log::warning);
            return DeviceSupervisor.openBackend(settings, chosen, known());
        });
        // A restarted device is the same device, so the description read at start stays true.
        this.deviceDescription = first.map(Backend::description).orElse("none");
        this.guardian = first.map(backend -> system.systemActorOf(RingKernelGuardian.create(settings, selection.get(),
                directory, backend, this::known), "ringkernel", Props.empty()));
        if (clusterSettings.enabled()) {
            this.cluster = Optional.of(ShardedKernels.start(system, clusterSettings, settings,
                    hosts ? Optional.of(new LocalHost()) : Optional.empty(), this::definition, notes));
            log.info("ringkernel cluster node " + cluster.get().node() + " with roles " + clusterSettings.roles()
                    + ": kernels are sharded over the nodes with role " + ClusterSettings.GPU_ROLE);
        } else {
            this.cluster = Optional.empty();
            for (String id : settings.startKernels()) {
                start(BuiltinKernels.get(id));
            }
        }
    }

    /** A node meant to host kernels on a GPU that found none says so, once in the log and in readiness. */
    private List<String> notesOn(BackendSelection chosen) {
        if (clusterSettings.enabled() && chosen.chosen() != chosen.requested()) {
            return List.of("this node has role " + ClusterSettings.GPU_ROLE + " but no usable CUDA device ("
                    + chosen.reason() + "); it runs its kernels on the " + chosen.chosen().configName() + " backend");
        }
        return List.of();
    }

    /** Every kernel known now: the built-ins and those registered. */
    private Collection<KernelDefinition> known() {
        List<KernelDefinition> known = new ArrayList<>(BuiltinKernels.all());
        known.addAll(registered.values());
        return known;
    }

    /**
     * The extension of {@code system}, created on first use.
     *
     * @throws IllegalStateException naming the system when it is created on a system that has terminated
     */
    public static RingKernels get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /**
     * The kernel with this id; a built-in kernel not started yet starts now. That call waits until the kernel's
     * actors exist, not for its device launch: the handle takes requests at once, those sent before the instance
     * runs wait in its queue, and a launch that fails answers them with the failure (as any restart does). In a
     * cluster it never waits: the shard region starts the kernel's entities on their first request.
     *
     * @throws UnknownKernelException naming the id and the kernels there are
     * @throws KernelUnavailableException when it would start a kernel past {@code ringkernel.kernels.max}
     * @throws IllegalStateException naming the actor system when it has terminated or is shutting down
     */
    public KernelRef kernel(String id) {
        shutdown.requireRunning();
        if (cluster.isPresent()) {
            KernelDefinition definition = definition(id).orElseThrow(() -> unknown(id));
            ActorRef<KernelCommand> router = cluster.get().router(definition);
            return new KernelRef(definition, router, router, system, shutdown, () -> cluster.get().info(definition),
                    settings.requestTimeout(), settings.bridge().instance().capacity());
        }
        Optional<KernelDirectory.Entry> running = directory.find(id);
        if (running.isPresent()) {
            return ref(running.get().info().definition(), running.get().ref());
        }
        return start(definition(id).orElseThrow(() -> unknown(id)));
    }

    private Optional<KernelDefinition> definition(String id) {
        return Optional.ofNullable(registered.get(id)).or(() -> BuiltinKernels.find(id));
    }

    private UnknownKernelException unknown(String id) {
        return new UnknownKernelException(id, "no kernel '" + id + "'; the kernels are " + String.join(", ", knownIds()));
    }

    /**
     * Registers and starts a custom kernel; it then behaves like a built-in. In a cluster, register it on every
     * node: a node hosts the kernel's entities only where it knows the kernel.
     *
     * @throws IllegalArgumentException when a kernel with its id exists
     * @throws KernelUnavailableException when {@code ringkernel.kernels.max} kernels run already
     * @throws IllegalStateException naming the actor system when it has terminated or is shutting down
     */
    public KernelRef register(KernelDefinition definition) {
        shutdown.requireRunning();
        if (BuiltinKernels.find(definition.id()).isPresent()
                || registered.putIfAbsent(definition.id(), definition) != null) {
            throw new IllegalArgumentException("a kernel '" + definition.id() + "' exists already");
        }
        if (cluster.isPresent()) {
            return kernel(definition.id());
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
            ActorRef<KernelCommand> ref = startUnder(definition, definition.id(), settings.instances())
                    .toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return ref(definition, ref);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting kernel '" + definition.id() + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("kernel '" + definition.id() + "' did not start: " + e.getMessage(), e);
        }
    }

    /** Starts a kernel supervisor listed as {@code name}; completes with its ref once it is listed. */
    private CompletionStage<ActorRef<KernelCommand>> startUnder(KernelDefinition definition, String name, int instances) {
        return AskPattern.askWithStatus(device(), replyTo -> new DeviceSupervisor.StartKernel(definition, name,
                instances, replyTo), START_TIMEOUT, system.scheduler());
    }

    private ActorRef<DeviceSupervisor.Command> device() {
        return guardian.orElseThrow(() -> new IllegalStateException("this node hosts no kernels: its ringkernel.cluster.roles"
                + " lack " + ClusterSettings.GPU_ROLE));
    }

    /** A handle whose requests skip the supervisor when the kernel has one instance (listed before it answers start). */
    private KernelRef ref(KernelDefinition definition, ActorRef<KernelCommand> supervisor) {
        String id = definition.id();
        ActorRef<KernelCommand> front = directory.find(id).map(KernelDirectory.Entry::front).orElse(supervisor);
        return new KernelRef(definition, supervisor, front, system, shutdown,
                () -> directory.find(id).orElseThrow().info(), settings.requestTimeout(),
                settings.bridge().instance().capacity());
    }

    /** The ids of every kernel there is, started or not, built in or registered, in {@link KernelInfo#ID_ORDER}. */
    public List<String> knownIds() {
        List<String> ids = new ArrayList<>(BuiltinKernels.ids());
        ids.addAll(registered.keySet());
        ids.sort(KernelInfo.ID_ORDER);
        return ids;
    }

    /** Every started kernel, by id; in a cluster, every kernel the cluster runs, one instance per entity. */
    public List<KernelInfo> kernels() {
        return cluster.map(ShardedKernels::kernels).orElseGet(directory::all);
    }

    /**
     * Whether every started kernel takes requests, and which do not; in a cluster, whether this node can serve
     * (see {@link ShardedKernels#readiness}).
     */
    public Readiness readiness() {
        if (cluster.isPresent()) {
            return cluster.get().readiness(notes);
        }
        List<String> problems = new ArrayList<>();
        for (KernelInfo info : directory.all()) {
            if (!info.available()) {
                problems.add("kernel '" + info.id() + "' is " + info.phase().name().toLowerCase(Locale.ROOT)
                        + info.instances().stream().flatMap(i -> i.lastFailure().stream()).findFirst()
                        .map(f -> ": " + f).orElse(""));
            }
        }
        return new Readiness(problems.isEmpty(), problems, notes);
    }

    /** The backend running this node's kernels, in words; {@code none} on a cluster node that hosts none. */
    public String backend() {
        return selection.map(chosen -> chosen.chosen().configName()).orElse("none");
    }

    /** This node's device in words, e.g. the GPU's name and memory; {@code none} on a node that hosts no kernels. */
    public String deviceDescription() {
        return deviceDescription;
    }

    /** The cluster side of the bridge, present where {@code ringkernel.cluster.enabled} is on. */
    public Optional<ShardedKernels> cluster() {
        return cluster;
    }

    /** The {@code ringkernel} settings the extension was started with. */
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

    /** This node's device, as the cluster's kernel entities use it. */
    private final class LocalHost implements KernelHost {
        @Override
        public CompletionStage<ActorRef<KernelCommand>> start(String kernelId, String name) {
            Optional<KernelDefinition> definition = definition(kernelId);
            if (definition.isEmpty()) {
                return CompletableFuture.failedFuture(unknown(kernelId));
            }
            if (directory.find(name).isEmpty() && directory.entries().size() >= settings.maxKernels()) {
                return CompletableFuture.failedFuture(new KernelUnavailableException(kernelId, "kernel entity " + name
                        + " cannot start on this node: it runs " + settings.maxKernels() + " kernel instances already,"
                        + " the most ringkernel.kernels.max allows"));
            }
            return startUnder(definition.get(), name, 1).thenApply(supervisor ->
                    directory.find(name).map(KernelDirectory.Entry::front).orElse(supervisor));
        }

        @Override
        public void stop(String name) {
            device().tell(new DeviceSupervisor.StopKernel(name));
        }

        @Override
        public List<Hosted> hosted() {
            return directory.entries().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(entry -> new Hosted(entry.getKey(), entry.getValue().info())).toList();
        }

        @Override
        public String backend() {
            return RingKernels.this.backend();
        }
    }

    private static final class Id extends ExtensionId<RingKernels> {
        private static final Id INSTANCE = new Id();

        @Override
        public RingKernels createExtension(ActorSystem<?> system) {
            return new RingKernels(system);
        }
    }
}
