package org.ringkernel.bridge.kernel;

import java.util.Optional;

/**
 * Where a kernel's CUDA code is: the persistent ring-kernel entry point and, for kernels that run heavy or
 * large requests as ordinary launches, the launch-path entry point.
 *
 * @param persistentEntry the {@code extern "C"} name of the persistent ring kernel
 * @param launchEntry the {@code extern "C"} name of the per-batch launch kernel, if any
 */
public record CudaEntry(String persistentEntry, Optional<String> launchEntry) {

    public static CudaEntry persistent(String entry) {
        return new CudaEntry(entry, Optional.empty());
    }

    public static CudaEntry withLaunchPath(String persistentEntry, String launchEntry) {
        return new CudaEntry(persistentEntry, Optional.of(launchEntry));
    }
}
