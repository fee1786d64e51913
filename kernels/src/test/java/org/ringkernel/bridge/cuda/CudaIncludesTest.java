package org.ringkernel.bridge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringkernel.kernels.cuda.CustomSources;

/**
 * The headers NVRTC gets for a custom kernel's source: every ring header it includes, directly or not, as the
 * kernel library ships it on the class path, and a clear error for one that is not shipped. Where {@code nvcc} is
 * installed, the source compiles with those headers alone (written to a folder of their own), so nothing NVRTC
 * would miss hides in the build's include folder.
 */
class CudaIncludesTest {
    private static final Path INCLUDE = Path.of("src/main/cuda/include");

    private static Map<String, String> headersOf(String code) {
        return CudaIncludes.quotedHeaders("custom_cube.cu", code, CudaIncludesTest.class.getClassLoader());
    }

    @Test
    void everyRingHeaderASourceReachesIsHandedOverAsShipped() throws IOException {
        Map<String, String> headers = headersOf(CustomSources.CUBE);

        assertEquals(Set.of("ringkernel/elementwise.cuh", "ringkernel/call.cuh", "ringkernel/ring_protocol.cuh",
                "ringkernel/entries.cuh", "ringkernel/launch.cuh", "ringkernel/ring_loop.cuh"), headers.keySet());
        for (Map.Entry<String, String> header : headers.entrySet()) {
            assertEquals(Files.readString(INCLUDE.resolve(header.getKey())), header.getValue(), header.getKey());
        }
    }

    @Test
    void aHeaderThatIsNotShippedIsNamedWithItsIncluder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> headersOf("#include \"ringkernel/elementwise.cuh\"\n#include \"mine/helpers.cuh\"\n"));
        assertTrue(e.getMessage().startsWith("custom kernel source 'custom_cube.cu' includes \"mine/helpers.cuh\", which is"
                + " not among the CUDA headers on the class path (META-INF/ringkernel/cuda/include/mine/helpers.cuh)"),
                e.getMessage());
    }

    @Test
    void theToolkitsFoldersComeFromTheEnvironmentFirst(@TempDir Path toolkit) throws IOException {
        Files.createDirectories(toolkit.resolve("include/cccl"));
        assertEquals(List.of("-I" + toolkit.resolve("include"), "-I" + toolkit.resolve("include/cccl")),
                CudaIncludes.toolkitOptions(Map.of("CUDA_HOME", toolkit.toString())));
        assertEquals(List.of("-I" + toolkit.resolve("include")),
                CudaIncludes.toolkitOptions(Map.of("CUDA_HOME", "/nonexistent", "CUDA_PATH", toolkit.toString()))
                        .subList(0, 1));
    }

    @Test
    void theSourceCompilesWithTheHandedOverHeadersAlone(@TempDir Path folder) throws Exception {
        Assumptions.assumeTrue(onPath("nvcc"), "nvcc is not installed: the compile of the custom source is not tried");
        for (Map.Entry<String, String> header : headersOf(CustomSources.CUBE).entrySet()) {
            Path file = folder.resolve("include").resolve(header.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, header.getValue());
        }
        Path source = Files.writeString(folder.resolve("custom_cube.cu"), CustomSources.CUBE);
        Process nvcc = new ProcessBuilder("nvcc", "-ptx", "-std=c++17", "-arch=compute_90",
                "-I" + folder.resolve("include"), "-o", folder.resolve("custom_cube.ptx").toString(), source.toString())
                .redirectErrorStream(true).start();
        assertTrue(nvcc.waitFor(5, TimeUnit.MINUTES), "nvcc finished");
        String output = new String(nvcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, nvcc.exitValue(), output);
        String ptx = Files.readString(folder.resolve("custom_cube.ptx"));
        assertTrue(ptx.contains(".entry rk_custom_cube_ring") && ptx.contains(".entry rk_custom_cube_launch"), ptx);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String folder : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(folder, tool))) {
                return true;
            }
        }
        return false;
    }
}
