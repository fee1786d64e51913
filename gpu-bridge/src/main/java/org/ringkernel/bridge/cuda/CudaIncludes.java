package org.ringkernel.bridge.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What NVRTC needs besides a custom kernel's source: the headers it includes in quotes, and where the toolkit's
 * own headers are. NVRTC reads no files of its own accord, so the quoted headers are handed to it by name. They
 * are looked up on the class path under {@value #ROOT} (the kernel library ships the ring protocol's headers
 * there, {@code ringkernel/elementwise.cuh} and the rest), and so are the headers those include, recursively.
 * The headers in angle brackets ({@code <cuda/atomic>}) are the toolkit's: its include folders are passed as
 * {@code -I} options, found from {@code CUDA_HOME}, {@code CUDA_PATH} or {@code /usr/local/cuda}.
 */
final class CudaIncludes {
    /** Where on the class path the quoted headers a custom source may include are found. */
    static final String ROOT = "META-INF/ringkernel/cuda/include/";
    private static final Pattern QUOTED = Pattern.compile("^\\s*#\\s*include\\s+\"([^\"]+)\"", Pattern.MULTILINE);

    private CudaIncludes() {
    }

    /**
     * The headers {@code code} includes in quotes, directly or through other headers, by the name it includes them
     * with, in the order first met.
     *
     * @throws IllegalArgumentException naming the header and the file that includes it, where one is not shipped
     */
    static Map<String, String> quotedHeaders(String sourceName, String code, ClassLoader loader) {
        Map<String, String> headers = new LinkedHashMap<>();
        collect(sourceName, code, loader, headers);
        return headers;
    }

    private static void collect(String includer, String code, ClassLoader loader, Map<String, String> headers) {
        Matcher include = QUOTED.matcher(code);
        while (include.find()) {
            String name = include.group(1);
            if (headers.containsKey(name)) {
                continue;
            }
            String header = read(name, loader).orElseThrow(() -> new IllegalArgumentException("custom kernel source '"
                    + includer + "' includes \"" + name + "\", which is not among the CUDA headers on the class path ("
                    + ROOT + name + "); a custom source may include the ring headers the kernel library ships, e.g. "
                    + "\"ringkernel/elementwise.cuh\" and \"ringkernel/entries.cuh\", or define everything itself"));
            headers.put(name, header);
            collect(name, header, loader, headers);
        }
    }

    private static Optional<String> read(String name, ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the CUDA header " + ROOT + name, e);
        }
    }

    /**
     * The {@code -I} options for the toolkit's headers: {@code include} and, since CUDA 13 keeps the C++ library
     * apart, {@code include/cccl}, of the first toolkit folder that exists.
     */
    static List<String> toolkitOptions(Map<String, String> environment) {
        List<String> options = new ArrayList<>();
        for (String home : new String[] {environment.get("CUDA_HOME"), environment.get("CUDA_PATH"), "/usr/local/cuda"}) {
            if (home == null || !Files.isDirectory(Path.of(home, "include"))) {
                continue;
            }
            options.add("-I" + Path.of(home, "include"));
            if (Files.isDirectory(Path.of(home, "include", "cccl"))) {
                options.add("-I" + Path.of(home, "include", "cccl"));
            }
            break;
        }
        return options;
    }
}
