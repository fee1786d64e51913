package org.ringkernel.kernels.cuda;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.cuda.CudaBackend;
import org.ringkernel.bridge.cuda.CudaBackendProvider;
import org.ringkernel.bridge.runtime.Availability;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/**
 * The CUDA device of the CUDA tests: whether one is usable (else the tests are skipped with the probe's
 * reason), and a backend the kernel tests share, since opening one per case would recreate the context each
 * time. Tests that fail the device on purpose open their own after {@link #closeShared()}: the context reset
 * that ends a fault would pull the shared one's memory from under it.
 */
public final class CudaTestDevice {
    /** The default settings with the CUDA backend. */
    public static final BridgeSettings SETTINGS = BridgeSettings.fromConfig(ConfigFactory.load(), Map.of())
            .withBackend(BackendKind.CUDA);
    private static final Availability AVAILABILITY = new CudaBackendProvider().probe(SETTINGS, BuiltinKernels.all());
    private static CudaBackend shared;

    private CudaTestDevice() {
    }

    /** Skips the calling test, with the reason, where no CUDA device is usable. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(AVAILABILITY.usable(), () -> "no usable CUDA device: " + AVAILABILITY.reason());
    }

    /** The shared backend, opened on first use; skips the calling test where there is no device. */
    public static synchronized CudaBackend shared() {
        assumeAvailable();
        if (shared == null) {
            shared = open();
        }
        return shared;
    }

    /** Closes the shared backend, if open, so a test can reset the context safely. */
    public static synchronized void closeShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /**
     * A backend of the caller's own, prepared for every built-in kernel, to close when done; skips the calling
     * test where there is no device.
     */
    public static CudaBackend open() {
        assumeAvailable();
        CudaBackend backend = CudaBackend.open(SETTINGS, HybridLogicalClock.system());
        backend.preload(BuiltinKernels.all(), 1);
        return backend;
    }
}
