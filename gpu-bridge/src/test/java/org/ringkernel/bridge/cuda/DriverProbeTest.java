package org.ringkernel.bridge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.Backends;
import org.ringkernel.bridge.cpu.CpuBackendProvider;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.Availability;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BackendSelection;
import org.ringkernel.bridge.runtime.BackendUnavailableException;
import org.ringkernel.bridge.runtime.BridgeSettings;

/**
 * An image built by nvcc 13 carries PTX ISA 9.0 and cubins that need a CUDA 13 (R580+) driver. On an older
 * driver every instance would fail at module load, so the probe checks the driver's version against the one the
 * image was built for and loads the image once: {@code auto} then falls back to the CPU with the reason, and
 * {@code cuda} fails at start with it.
 */
class DriverProbeTest {
    private static final List<KernelDefinition> KERNELS = List.of(StandInDevice.persistent("ring", StandInDevice.IMAGE));
    private static final BridgeSettings AUTO = StandInDevice.settings("").withBackend(BackendKind.AUTO);

    @Test
    void aDriverOlderThanTheImageIsRefusedWithBothVersions() {
        RecordingCudaDriver driver = new RecordingCudaDriver().driverVersion(12040);

        Availability probed = new CudaBackendProvider(driver).probe(AUTO, KERNELS);

        assertFalse(probed.usable());
        assertEquals("the CUDA driver implements CUDA 12.4 (version 12040), but the kernel image stand-in.fatbin was "
                + "built for CUDA 13.0 and needs a driver that implements it or a newer one; update the driver, or "
                + "rebuild the image with the CUDA toolkit the driver implements (see the README)", probed.reason());
        assertFalse(driver.calls().contains("cuModuleLoadData"), "no load is tried on a driver known too old");
    }

    @Test
    void anImageTheDriverCannotLoadIsRefusedWithTheDriversError() {
        RecordingCudaDriver driver = new RecordingCudaDriver()
                .moduleLoadResult(CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION);

        Availability probed = new CudaBackendProvider(driver).probe(AUTO, KERNELS);

        assertFalse(probed.usable());
        assertTrue(probed.reason().startsWith("the kernel image stand-in.fatbin does not load on this driver (CUDA "
                + "13.0): cuModuleLoadData(stand-in.fatbin, 64 bytes) failed: CUDA_ERROR_UNSUPPORTED_PTX_VERSION"),
                probed.reason());
        assertEquals("cuDevicePrimaryCtxRelease", driver.calls().get(driver.calls().size() - 1),
                "the probe gives the context back");
    }

    @Test
    void autoFallsBackToTheCpuWithTheReason() {
        CudaBackendProvider cuda = new CudaBackendProvider(new RecordingCudaDriver().driverVersion(12080));

        BackendSelection selection = Backends.select(AUTO, List.of(cuda, new CpuBackendProvider()), KERNELS);

        assertEquals(BackendKind.CPU, selection.chosen());
        assertTrue(selection.reason().startsWith("cuda not usable: the CUDA driver implements CUDA 12.8"),
                selection.reason());
    }

    @Test
    void cudaRequestedFailsAtStartWithTheReason() {
        CudaBackendProvider cuda = new CudaBackendProvider(new RecordingCudaDriver().driverVersion(12080));

        BackendUnavailableException refused = assertThrows(BackendUnavailableException.class, () -> Backends.select(
                AUTO.withBackend(BackendKind.CUDA), List.of(cuda, new CpuBackendProvider()), KERNELS));

        assertTrue(refused.getMessage().contains("cannot run here: the CUDA driver implements CUDA 12.8"),
                refused.getMessage());
    }

    @Test
    void aDriverAsNewAsTheImageRunsItAfterLoadingItOnce() {
        RecordingCudaDriver driver = new RecordingCudaDriver().driverVersion(13000);

        Availability probed = new CudaBackendProvider(driver).probe(AUTO, KERNELS);

        assertTrue(probed.usable(), probed.reason());
        assertTrue(probed.reason().endsWith("driver CUDA 13.0)"), probed.reason());
        assertEquals(List.of("cuModuleLoadData", "cuModuleUnload", "cuDevicePrimaryCtxRelease"), driver.calls().subList(
                driver.calls().size() - 3, driver.calls().size()));
    }
}
