package org.ringkernel.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ringkernel.actors.KernelInfo;
import org.ringkernel.actors.RingKernelSettings;
import org.ringkernel.actors.cluster.ClusterSettings;
import org.ringkernel.bridge.ring.ArenaAllocator;
import org.ringkernel.bridge.ring.RequestDescriptor;
import org.ringkernel.bridge.runtime.SettingsException;
import org.ringkernel.bridge.runtime.SettingsReader;
import org.ringkernel.grpc.GrpcSettings;
import org.ringkernel.kernels.builtin.BuiltinKernels;
import org.ringkernel.server.HttpSettings;

/**
 * Assembles the server's configuration from its layers (see the package documentation for the precedence and
 * the environment and TOML mappings) and checks it before anything starts.
 */
public final class ServerConfig {
    /** The operators' configuration file, relative to the working directory. */
    public static final String APPLICATION_CONF = "conf/application.conf";
    private static final String SERVER_DEFAULTS = "/org/ringkernel/server/server.conf";

    private ServerConfig() {
    }

    /**
     * The resolved configuration for {@code args} ({@code --config FILE}) and {@code env}, with
     * {@code conf/application.conf} read from {@code workingDir} when present.
     *
     * @throws IllegalArgumentException for an unknown argument
     * @throws ConfigLoadException for a file that cannot be read or parsed, or a key that no module defines
     */
    public static Config load(List<String> args, Map<String, String> env, Path workingDir) {
        return load(ServerArgs.parse(args), env, workingDir);
    }

    /** As {@link #load(List, Map, Path)}, with the arguments already parsed. */
    public static Config load(ServerArgs args, Map<String, String> env, Path workingDir) {
        KnownKeys known = new KnownKeys(ConfigFactory.defaultReference());
        Config config = defaults();
        Path application = workingDir.resolve(APPLICATION_CONF);
        if (Files.exists(application)) {
            config = ConfigFiles.hocon(application, known).withFallback(config);
        }
        if (args.configFile().isPresent()) {
            config = ConfigFiles.read(workingDir.resolve(args.configFile().get()), known).withFallback(config);
        }
        config = EnvironmentOverrides.from(env, known).withFallback(config);
        try {
            return config.resolve();
        } catch (ConfigException e) {
            throw new ConfigLoadException("cannot resolve the configuration: " + e.getMessage(), e);
        }
    }

    /**
     * The server's defaults, unresolved: its settings of Pekko ({@code org/ringkernel/server/server.conf}) over
     * every module's {@code reference.conf}. The server jar merges the reference files of all its dependencies
     * into one whose order lets Pekko's defaults override ours, so the server's settings of Pekko live apart.
     */
    public static Config defaults() {
        return ConfigFactory.parseResources(ServerConfig.class, SERVER_DEFAULTS,
                        ConfigParseOptions.defaults().setAllowMissing(false))
                .withFallback(ConfigFactory.defaultReferenceUnresolved());
    }

    /**
     * Reads every settings class of the server from {@code config}, so that a bad value stops start-up.
     * {@code RINGKERNEL_BACKEND} was merged by {@link #load}, so the settings read no environment here.
     *
     * @throws SettingsException for the first bad value: its path, what was expected, and where it was set
     */
    public static ServerSettings validate(Config config) {
        try {
            RingKernelSettings kernels = RingKernelSettings.fromConfig(config, Map.of());
            ClusterSettings cluster = ClusterSettings.fromConfig(config);
            checkInstancesNameKernels(cluster);
            DirectMemoryCheck.require(kernels, cluster, DirectMemoryCheck.available());
            HttpSettings http = HttpSettings.fromConfig(config);
            checkArenaHoldsTheLargestInput(kernels, http);
            GrpcSettings grpc = GrpcSettings.fromConfig(config, http.port());
            return new ServerSettings(kernels, http, grpc, cluster, config);
        } catch (SettingsException e) {
            throw withOrigin(e, config);
        }
    }

    /** The server runs built-in kernels only, so a count of entities for any other id is a misspelling. */
    private static void checkInstancesNameKernels(ClusterSettings cluster) {
        for (String id : cluster.instances().keySet()) {
            SettingsReader.require(BuiltinKernels.find(id).isPresent(),
                    ConfigUtil.joinPath("ringkernel", "cluster", "instances", id),
                    "a built-in kernel id as the key (" + String.join(", ", BuiltinKernels.ids().stream()
                            .sorted(KernelInfo.ID_ORDER).toList()) + "), got '" + id + "'");
        }
    }

    /**
     * The HTTP limit on one input must be one the kernels can take: an input of
     * {@code max-elements-per-input} elements and an output of the same size (what {@code echo} and
     * {@code square} need, the least any kernel needs for such an input) must fit one instance's arena.
     */
    private static void checkArenaHoldsTheLargestInput(RingKernelSettings kernels, HttpSettings http) {
        long arena = kernels.bridge().instance().arenaBytes();
        long needed = 2 * ArenaAllocator.aligned((long) http.maxElementsPerInput() * Float.BYTES);
        long fits = arena / 2 / Float.BYTES / RequestDescriptor.ARENA_ALIGNMENT * RequestDescriptor.ARENA_ALIGNMENT;
        SettingsReader.require(needed <= arena, "ringkernel.http.max-elements-per-input",
                "at most " + fits + ", so that an input that large and its output fit a kernel's arena "
                        + "(ringkernel.kernel.arena-size, " + arena + " bytes; raise it to " + needed
                        + " bytes to allow this), got " + http.maxElementsPerInput());
    }

    /** {@code e} with where its value was set, unless that was a module's defaults. */
    static SettingsException withOrigin(SettingsException e, Config config) {
        ConfigOrigin origin;
        try {
            origin = config.getValue(e.path()).origin();
        } catch (ConfigException notThere) {
            return e;
        }
        if ("reference.conf".equals(origin.resource())) {
            return e;
        }
        String expected = e.getMessage().substring(e.path().length() + ": expected ".length());
        SettingsException located = new SettingsException(e.path(), expected + " (set in " + origin.description() + ")");
        located.initCause(e);
        return located;
    }
}
