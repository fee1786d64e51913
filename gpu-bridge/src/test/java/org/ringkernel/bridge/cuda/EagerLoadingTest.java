package org.ringkernel.bridge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.CudaModule;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.testkit.TestKernels;

/**
 * Since CUDA 12.2 the driver may load a function lazily, at its first use, and such a load can wait for the
 * device to go idle, which it never does while a persistent kernel runs. The backend therefore loads every
 * kernel's module and entries, forces each entry to load and measures its occupancy before the first
 * persistent launch: a recording stand-in for the driver shows that nothing is loaded or looked up after it.
 */
class EagerLoadingTest {
    /** The driver calls that load a module or a function, or may wait for a lazy load. */
    private static final Set<String> LOADING = Set.of("cuModuleLoadData", "cuModuleGetFunction", "cuFuncGetAttribute",
            "cuOccupancyMaxActiveBlocksPerMultiprocessor");
    private static final InstanceSettings INSTANCE = TestKernels.settings(16, 1 << 16);

    private final RecordingCudaDriver driver = new RecordingCudaDriver();
    private final CudaBackend backend = StandInDevice.open(driver, StandInDevice.settings(""));

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void nothingIsLoadedOrLookedUpOnceAPersistentKernelRuns() {
        KernelDefinition ring = StandInDevice.persistent("ring", StandInDevice.IMAGE);
        KernelDefinition other = StandInDevice.persistent("other", StandInDevice.IMAGE);
        KernelDefinition heavy = StandInDevice.launched("heavy");
        backend.preload(List.of(ring, other, heavy), 2);

        backend.launch(ring, INSTANCE);
        backend.launch(heavy, INSTANCE);
        backend.launch(other, INSTANCE);
        backend.launch(ring, INSTANCE);

        List<String> calls = driver.detailedCalls();
        int firstPersistent = calls.indexOf("cuLaunchKernel rk_ring_ring");
        assertTrue(firstPersistent > 0, "the persistent kernel was launched: " + calls);
        List<String> before = calls.subList(0, firstPersistent);
        for (String entry : List.of("rk_ring_ring", "rk_ring_launch", "rk_other_ring", "rk_other_launch",
                "rk_heavy_ring", "rk_heavy_launch")) {
            assertTrue(before.contains("cuFuncGetAttribute " + entry), entry + " was forced to load first: " + before);
        }
        List<String> after = driver.calls().subList(firstPersistent, calls.size());
        assertEquals(List.of(), after.stream().filter(LOADING::contains).toList(),
                "driver calls that load code after the first persistent launch");
        assertEquals(1, driver.calls().stream().filter("cuModuleLoadData"::equals).count(), "the image loads once");
    }

    @Test
    void aKernelUnknownAtStartIsRefusedWhilePersistentKernelsRun() {
        KernelDefinition ring = StandInDevice.persistent("ring", StandInDevice.IMAGE);
        backend.preload(List.of(ring), 1);
        backend.launch(ring, INSTANCE);
        KernelDefinition late = StandInDevice.persistent("late", new CudaModule.Image("late.fatbin", () -> new byte[32]));
        int callsBefore = driver.calls().size();

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> backend.launch(late, INSTANCE));

        assertTrue(refused.getMessage().startsWith("kernel 'late' was registered after persistent kernels started on "
                + "CUDA device 0 (Recording stand-in), and its CUDA module (late.fatbin) cannot be loaded while they "
                + "run"), refused.getMessage());
        assertEquals(List.of(), driver.calls().subList(callsBefore, driver.calls().size()).stream()
                .filter(LOADING::contains).toList(), "nothing of the late kernel reached the driver");
    }

    @Test
    void aKernelUnknownAtStartLoadsAtItsLaunchWhileNoPersistentKernelRuns() {
        KernelDefinition heavy = StandInDevice.launched("heavy");
        backend.preload(List.of(), 1);

        backend.launch(heavy, INSTANCE);

        List<String> calls = driver.detailedCalls();
        assertTrue(calls.contains("cuFuncGetAttribute rk_heavy_ring") && calls.contains("cuFuncGetAttribute rk_heavy_launch"),
                "both entries were loaded at the launch: " + calls);
    }
}
