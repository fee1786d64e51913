package org.ringkernel.kernels.gpucheck;

import com.typesafe.config.ConfigFactory;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.cuda.CudaBackend;
import org.ringkernel.bridge.cuda.CudaBackendProvider;
import org.ringkernel.bridge.runtime.Availability;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BackendUnavailableException;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/**
 * Measures the CUDA backend on a real device, each measure beside a baseline that does the same work with the
 * plain driver API in the same run, and checks every result: persistent round trip against a launch and a
 * synchronize, requests per second through the ring against a launch per request, ring ingest against
 * pinned copies, and {@code matmul} at 4096². Prints a markdown table and, with {@code --out DIR}, writes it
 * to {@code DIR/gpu-check.md}, rewritten after every measure, so that a run cut short still leaves what it
 * measured.
 *
 * <p>Usage: {@code java -cp ringkernel-selfcheck.jar org.ringkernel.kernels.gpucheck.GpuCheck [--out DIR]};
 * the device is {@code ringkernel.device-id} ({@code -Dringkernel.device-id=N}), the other settings are the
 * defaults, with a device memory pool large enough for the matmul's three 64 MiB matrices.
 *
 * <p>Exit status: 0 when every measure ran and every result was right; 1 when a result was wrong or a call
 * failed (the table keeps the rows measured before, and names the reason); 2 when the options are wrong or no
 * CUDA device is usable, which it says in one line: {@code no usable CUDA device: <reason>}.
 */
public final class GpuCheck {
    /** The report's name in the folder {@code --out} names. */
    private static final String REPORT_FILE = "gpu-check.md";

    private static final long POOL_BYTES = 512L << 20;
    private static final long SEED = 42;

    private final PrintStream out;
    private final PrintStream err;
    private final Optional<Path> reportFile;
    private boolean unwritable;

    private GpuCheck(PrintStream out, PrintStream err, Optional<Path> reportFile) {
        this.out = out;
        this.err = err;
        this.reportFile = reportFile;
    }

    /** Runs the check; the class comment gives the options and exit status. */
    public static void main(String[] args) {
        // The table holds µ, × and ², which a machine in the POSIX locale would print as '?'.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Optional<Path> reportFile;
        BridgeSettings settings;
        try {
            reportFile = reportFile(args);
            settings = settings();
        } catch (IllegalArgumentException e) {
            // Options and settings both name what was wrong.
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new GpuCheck(out, System.err, reportFile).run(settings));
    }

    private static Optional<Path> reportFile(String[] args) {
        if (args.length == 0) {
            return Optional.empty();
        }
        if (args.length == 2 && args[0].equals("--out")) {
            return Optional.of(Path.of(args[1], REPORT_FILE));
        }
        throw new IllegalArgumentException("unknown arguments '" + String.join(" ", args)
                + "'; usage: GpuCheck [--out DIR]");
    }

    /** The defaults, on CUDA, with a device memory pool that holds a 4096² matmul's inputs and output. */
    private static BridgeSettings settings() {
        BridgeSettings defaults = BridgeSettings.fromConfig(ConfigFactory.load(), Map.of());
        return new BridgeSettings(BackendKind.CUDA, defaults.deviceId(), defaults.instance(),
                defaults.terminateTimeout(), new BridgeSettings.MemorySettings(POOL_BYTES), defaults.blockSize(),
                defaults.gridSize(), defaults.ringPath());
    }

    private int run(BridgeSettings settings) {
        Availability availability = new CudaBackendProvider().probe(settings, BuiltinKernels.all());
        if (!availability.usable()) {
            err.println("no usable CUDA device: " + availability.reason());
            return 2;
        }
        Report report = new Report();
        report.fact("Date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        report.fact("Host", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        report.fact("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        try (CudaBackend backend = CudaBackend.open(settings, HybridLogicalClock.system())) {
            backend.preload(BuiltinKernels.all(), 1);
            report.fact("Device", backend.description());
            measure(report, backend, settings);
        } catch (BackendUnavailableException e) {
            err.println("no usable CUDA device: " + e.getMessage());
            return 2;
        }
        out.print(report.markdown());
        if (report.failed()) {
            err.println("gpu check failed: " + report.failure());
            return 1;
        }
        return unwritable ? 1 : 0;
    }

    /**
     * Runs every measure in turn, saving the report after each. A failure stops the check; the rows measured
     * before it stay in the report, beside the reason.
     */
    private void measure(Report report, CudaBackend backend, BridgeSettings settings) {
        InstanceSettings instance = settings.instance();
        Random random = new Random(SEED);
        try (RawDriver driver = RawDriver.open(settings.deviceId())) {
            report.fact("Driver", "CUDA " + driver.driverVersion() + " (" + driver.deviceName() + ")");
            step(report, "persistent round trip", () -> RoundTripCheck.run(backend, instance, driver, random));
            step(report, "requests/s", () -> List.of(RequestRateCheck.run(backend, instance, driver, random)));
            step(report, "ring ingest", () -> List.of(IngestCheck.run(backend, instance, driver, random)));
            step(report, "matmul 4096²", () -> MatmulCheck.run(backend, instance, random));
        } catch (CheckFailure e) {
            report.fail(e.getMessage());
        } catch (RuntimeException e) {
            // A backend or driver error the measures did not expect; its type says more than its message alone.
            report.fail(e.toString());
        }
        save(report);
    }

    private void step(Report report, String measure, Supplier<List<Row>> rows) {
        err.println("gpu check: measuring " + measure);
        report.addAll(rows.get());
        save(report);
    }

    /** Writes the report file, if one was asked for; a file that cannot be written is said once, not fatal. */
    private void save(Report report) {
        if (reportFile.isEmpty() || unwritable) {
            return;
        }
        Path file = reportFile.get();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, report.markdown());
        } catch (IOException e) {
            unwritable = true;
            err.println("cannot write " + file + ": " + e);
        }
    }
}
