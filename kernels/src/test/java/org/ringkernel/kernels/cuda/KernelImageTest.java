package org.ringkernel.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped CUDA image is a fatbin built from the sources as they are now, with SASS for sm_90, PTX for
 * compute_75, and both entry points of every kernel in the catalogue.
 *
 * <p>Entry points are read from the symbol table of the image's sm_90 ELF entry (global functions flagged as
 * kernel entries), not searched for as text, so a name inside another symbol or a string does not count.
 */
class KernelImageTest {
    private static final Path SOURCES = Path.of("src/main/cuda");
    /** The kernel ids of the catalogue table in the module's README. */
    private static final List<String> CATALOGUE = List.of("echo", "square", "add", "saxpy", "normalize", "stats",
            "matmul", "softmax", "layer_norm", "attention");

    @Test
    void shippedImageIsANonEmptyFatbin() {
        KernelImage image = KernelImage.load();
        byte[] bytes = image.fatbin();
        assertTrue(bytes.length > 0, "the shipped image is empty");
        assertEquals(bytes.length, image.size());
        int magic = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        assertEquals(FatbinReader.MAGIC, magic, () -> "the image starts with 0x" + Integer.toHexString(magic)
                + ", not the fatbin magic 0xba55ed50");
        assertFalse(image.nvccVersion().isBlank());
        assertTrue(image.nvccFlags().contains("-fatbin"), () -> "recorded flags: " + image.nvccFlags());
    }

    @Test
    void recordedSourceHashMatchesTheSourcesNow() throws IOException {
        String now = KernelImage.sourceHash(SOURCES);
        assertEquals(now, KernelImage.load().sourceHash(),
                "the CUDA sources under " + SOURCES + " changed since the shipped image was built;"
                        + " rebuild it (mvn -Dkernels.compile package, or scripts/build-kernels.sh) and keep the fatbin and"
                        + " its .sha256 record with the change");
    }

    @Test
    void imageHoldsSassForSm90AndPtxForCompute75() {
        List<FatbinReader.Entry> entries = FatbinReader.entries(KernelImage.load().fatbin());
        String found = entries.stream()
                .map(entry -> (entry.kind() == FatbinReader.KIND_ELF ? "ELF sm_" : "PTX compute_") + entry.architecture())
                .collect(Collectors.joining(", "));
        assertTrue(entries.stream().anyMatch(entry -> entry.kind() == FatbinReader.KIND_ELF && entry.architecture() == 90),
                () -> "no SASS for sm_90 among: " + found);
        assertTrue(entries.stream().anyMatch(entry -> entry.kind() == FatbinReader.KIND_PTX && entry.architecture() == 75),
                () -> "no PTX for compute_75 among: " + found);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void everyCatalogueKernelHasARingAndALaunchEntry(String id) {
        Set<String> entries = sm90Entries();
        assertTrue(entries.contains("rk_" + id + "_ring"), () -> "no rk_" + id + "_ring among " + entries);
        assertTrue(entries.contains("rk_" + id + "_launch"), () -> "no rk_" + id + "_launch among " + entries);
    }

    @Test
    void imageExportsOnlyTheCatalogueEntriesAndTheLaunchBaseline() {
        // rk_noop is the empty kernel the GPU check launches as its baseline.
        Set<String> expected = new TreeSet<>(Set.of("rk_noop"));
        for (String id : CATALOGUE) {
            expected.add("rk_" + id + "_ring");
            expected.add("rk_" + id + "_launch");
        }
        assertEquals(expected, sm90Entries());
    }

    static List<String> catalogue() {
        return CATALOGUE;
    }

    private static Set<String> sm90Entries() {
        FatbinReader.Entry sass = FatbinReader.entries(KernelImage.load().fatbin()).stream()
                .filter(entry -> entry.kind() == FatbinReader.KIND_ELF && entry.architecture() == 90)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the image has no SASS for sm_90"));
        return FatbinReader.kernelEntries(sass);
    }
}
