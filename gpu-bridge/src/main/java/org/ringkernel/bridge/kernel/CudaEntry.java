package org.ringkernel.bridge.kernel;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a kernel's CUDA code is: the persistent ring-kernel entry point, for kernels that run heavy or large
 * requests as ordinary launches the launch-path entry point, and for custom kernels the CUDA C source the
 * entries are compiled from (built-in kernels live in the shipped image and carry none).
 *
 * @param persistentEntry the {@code extern "C"} name of the persistent ring kernel
 * @param launchEntry the {@code extern "C"} name of the per-request launch kernel, if any
 * @param source the CUDA C source defining the entries, for kernels outside the shipped image
 */
public record CudaEntry(String persistentEntry, Optional<String> launchEntry, Optional<String> source) {

    public CudaEntry {
        Objects.requireNonNull(persistentEntry, "persistentEntry");
        Objects.requireNonNull(launchEntry, "launchEntry");
        Objects.requireNonNull(source, "source");
    }

    /** A kernel of the shipped image with only a persistent entry. */
    public static CudaEntry persistent(String entry) {
        return new CudaEntry(entry, Optional.empty(), Optional.empty());
    }

    /** A kernel of the shipped image with both entries. */
    public static CudaEntry withLaunchPath(String persistentEntry, String launchEntry) {
        return new CudaEntry(persistentEntry, Optional.of(launchEntry), Optional.empty());
    }

    /** A custom kernel compiled from {@code source}, which defines {@code persistentEntry}. */
    public static CudaEntry fromSource(String source, String persistentEntry) {
        return new CudaEntry(persistentEntry, Optional.empty(), Optional.of(source));
    }
}
