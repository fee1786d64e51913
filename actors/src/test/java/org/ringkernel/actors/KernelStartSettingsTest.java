package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.runtime.SettingsException;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/** {@code ringkernel.kernels.start}: on-first-use, all, or the ids of built-ins, as a list or a comma-separated string. */
class KernelStartSettingsTest {

    private static List<String> start(String hocon) {
        Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
        return RingKernelSettings.fromConfig(config, Map.of()).startKernels();
    }

    @Test
    void theLibraryStartsNoKernelWithTheSystem() {
        assertEquals(List.of(), start(""));
        assertEquals(List.of(), start("ringkernel.kernels.start = on-first-use"));
    }

    @Test
    void allIsEveryBuiltinInListingOrder() {
        List<String> all = start("ringkernel.kernels.start = all");
        assertEquals(BuiltinKernels.ids().size(), all.size());
        assertEquals(BuiltinKernels.ids().stream().sorted(KernelInfo.ID_ORDER).toList(), all);
    }

    @Test
    void aListOrACommaSeparatedStringNamesTheKernels() {
        assertEquals(List.of("square", "echo"), start("ringkernel.kernels.start = [square, echo]"));
        assertEquals(List.of("square", "echo"), start("ringkernel.kernels.start = \"square, echo,square\""));
    }

    @Test
    void anUnknownIdIsRefusedWithWhatIsAccepted() {
        SettingsException e = assertThrows(SettingsException.class, () -> start("ringkernel.kernels.start = \"echo,cube\""));
        assertEquals("ringkernel.kernels.start", e.path());
        assertEquals("ringkernel.kernels.start: expected on-first-use, all or a list of built-in kernel ids ("
                + String.join(", ", BuiltinKernels.ids().stream().sorted(KernelInfo.ID_ORDER).toList())
                + "), got 'cube'", e.getMessage());
    }
}
