package org.ringkernel.bridge.kernel;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a kernel's CUDA code is and how it runs on a GPU: the module holding its entries, the persistent
 * ring-kernel entry, the launch-path entry (one ordinary launch per request) when it has one, and whether its
 * instances run on the launch path instead of as a persistent kernel (heavy kernels such as matmul, whose
 * requests want the whole device rather than one block each).
 *
 * @param module the image or source defining the entries
 * @param persistentEntry the {@code extern "C"} name of the persistent ring kernel
 * @param launchEntry the {@code extern "C"} name of the per-request launch kernel, if any
 * @param launchPath whether instances run on the launch path; requires a launch entry
 */
public record CudaEntry(CudaModule module, String persistentEntry, Optional<String> launchEntry, boolean launchPath) {

    /**
     * Checks the entry.
     *
     * @throws IllegalArgumentException when the launch path is on without a launch entry
     */
    public CudaEntry {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(persistentEntry, "persistentEntry");
        Objects.requireNonNull(launchEntry, "launchEntry");
        if (launchPath && launchEntry.isEmpty()) {
            throw new IllegalArgumentException("a kernel that runs on the launch path needs a launch entry");
        }
    }

    /** A kernel with both entries in {@code module}, running as a persistent kernel. */
    public static CudaEntry persistent(CudaModule module, String persistentEntry, String launchEntry) {
        return new CudaEntry(module, persistentEntry, Optional.of(launchEntry), false);
    }

    /** A kernel with both entries in {@code module}, running on the launch path. */
    public static CudaEntry launched(CudaModule module, String persistentEntry, String launchEntry) {
        return new CudaEntry(module, persistentEntry, Optional.of(launchEntry), true);
    }

    /** A custom kernel compiled from {@code source}, which defines {@code persistentEntry}. */
    public static CudaEntry fromSource(String name, String source, String persistentEntry) {
        return new CudaEntry(new CudaModule.Source(name, source), persistentEntry, Optional.empty(), false);
    }

    /** How its instances run, as kernel info reports it: {@code persistent} or {@code launch}. */
    public String mode() {
        return launchPath ? "launch" : "persistent";
    }
}
