package org.ringkernel.bridge.cuda;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.Optional;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.CudaEntry;
import org.ringkernel.bridge.kernel.CudaModule;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.testkit.TestKernels;

/** CUDA backends over a {@link RecordingCudaDriver}, and kernels for them, for tests without a GPU. */
final class StandInDevice {
    /** A compiled image the stand-in accepts; its bytes are never looked at. */
    static final CudaModule.Image IMAGE = new CudaModule.Image("stand-in.fatbin", () -> new byte[64], 13000);

    private StandInDevice() {
    }

    /** Settings with {@code hocon} over the defaults: the CUDA backend, short waits. */
    static BridgeSettings settings(String hocon) {
        return BridgeSettings.fromConfig(ConfigFactory.parseString(hocon + "\nringkernel.backend = cuda\n"
                + "ringkernel.kernel.terminate-timeout = 5s").withFallback(ConfigFactory.load()), Map.of());
    }

    static CudaBackend open(RecordingCudaDriver driver, BridgeSettings settings) {
        return CudaBackend.open(settings, HybridLogicalClock.system(), driver);
    }

    /** A kernel {@code id} that scales on the CPU and has CUDA {@code entry}. */
    static KernelDefinition kernel(String id, CudaEntry entry) {
        KernelDefinition scale = TestKernels.scale();
        return new KernelDefinition(id, "scales, on a stand-in device", scale.signature(), scale.cpu(),
                Optional.of(entry), true);
    }

    /** A persistent kernel {@code id} with a launch path, its entries {@code rk_<id>_ring} and {@code rk_<id>_launch}. */
    static KernelDefinition persistent(String id, CudaModule module) {
        return kernel(id, CudaEntry.persistent(module, "rk_" + id + "_ring", "rk_" + id + "_launch"));
    }

    /** A kernel {@code id} whose instances run on the launch path. */
    static KernelDefinition launched(String id) {
        return kernel(id, CudaEntry.launched(IMAGE, "rk_" + id + "_ring", "rk_" + id + "_launch"));
    }
}
