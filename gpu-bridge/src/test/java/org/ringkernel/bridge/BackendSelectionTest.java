package org.ringkernel.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.cpu.CpuBackendProvider;
import org.ringkernel.bridge.cuda.CudaBackendProvider;
import org.ringkernel.bridge.runtime.Availability;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BackendProvider;
import org.ringkernel.bridge.runtime.BackendSelection;
import org.ringkernel.bridge.runtime.BackendUnavailableException;
import org.ringkernel.bridge.runtime.BridgeSettings;

/** Which backend a configuration leads to, and the reasons given. */
class BackendSelectionTest {
    private static final BridgeSettings DEFAULTS = BridgeSettings.fromConfig(ConfigFactory.load(), Map.of());

    /** A provider whose availability the test decides. */
    private record FakeProvider(BackendKind kind, Availability availability) implements BackendProvider {
        @Override
        public Availability probe(BridgeSettings settings) {
            return availability;
        }

        @Override
        public Backend open(BridgeSettings settings) {
            throw new UnsupportedOperationException("not opened in these tests");
        }
    }

    @Test
    void autoOnThisMachineChoosesTheCpuAndSaysWhy() {
        Availability cuda = new CudaBackendProvider().probe(DEFAULTS);
        assumeFalse(cuda.usable(), "a CUDA device is usable here: " + cuda.reason());

        BackendSelection selection = Backends.select(DEFAULTS.withBackend(BackendKind.AUTO), Backends.providers());
        assertEquals(BackendKind.CPU, selection.chosen());
        assertTrue(selection.reason().startsWith("cuda not usable: "), selection.reason());
        try (Backend backend = Backends.open(DEFAULTS.withBackend(BackendKind.AUTO))) {
            assertEquals(BackendKind.CPU, backend.kind());
        }
    }

    @Test
    void cudaRequestedWhereItCannotRunFailsWithTheReason() {
        Availability cuda = new CudaBackendProvider().probe(DEFAULTS);
        assumeFalse(cuda.usable(), "a CUDA device is usable here: " + cuda.reason());

        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.open(DEFAULTS.withBackend(BackendKind.CUDA)));
        assertTrue(e.getMessage().startsWith("backend 'cuda' was requested (ringkernel.backend or RINGKERNEL_BACKEND)"
                + " but cannot run here: " + cuda.reason()), e.getMessage());
        assertTrue(e.getMessage().endsWith("use backend 'cpu', or 'auto' to fall back to the CPU"), e.getMessage());
    }

    @Test
    void autoPrefersAUsableCudaDevice() {
        List<BackendProvider> providers = List.of(
                new FakeProvider(BackendKind.CUDA, Availability.usable("CUDA device 0 (test)")),
                new CpuBackendProvider());
        BackendSelection selection = Backends.select(DEFAULTS.withBackend(BackendKind.AUTO), providers);
        assertEquals(BackendKind.CUDA, selection.chosen());
        assertEquals("CUDA device 0 (test)", selection.reason());
    }

    @Test
    void autoFallsBackToTheCpuWithTheCudaReason() {
        List<BackendProvider> providers = List.of(
                new FakeProvider(BackendKind.CUDA, Availability.unusable("no driver")),
                new CpuBackendProvider());
        BackendSelection selection = Backends.select(DEFAULTS.withBackend(BackendKind.AUTO), providers);
        assertEquals(BackendKind.CPU, selection.chosen());
        assertTrue(selection.reason().startsWith("cuda not usable: no driver; the CPU backend runs every kernel"),
                selection.reason());
    }

    @Test
    void cpuRequestedIsCpu() {
        try (Backend backend = Backends.open(DEFAULTS.withBackend(BackendKind.CPU))) {
            assertEquals(BackendKind.CPU, backend.kind());
            assertTrue(backend.description().startsWith("cpu: "), backend.description());
        }
    }
}
