package org.ringkernel.bridge.kernel;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The CUDA code a kernel's entries live in: a compiled image (fatbin, cubin or PTX), or CUDA C source that
 * the CUDA backend compiles with NVRTC where NVRTC loads. The backend loads each module once per context,
 * keyed by its name.
 */
public sealed interface CudaModule permits CudaModule.Image, CudaModule.Source {

    /** The module's name, unique among the modules of one process, e.g. {@code ringkernels.fatbin}. */
    String name();

    /**
     * A compiled image, read when a backend first loads it.
     *
     * @param name the image's name
     * @param bytes reads the image's bytes
     */
    record Image(String name, Supplier<byte[]> bytes) implements CudaModule {
        public Image {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /**
     * CUDA C source defining the entries with {@code extern "C"} linkage.
     *
     * @param name the source's name, as NVRTC reports it in compile errors
     * @param code the source text
     */
    record Source(String name, String code) implements CudaModule {
        public Source {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(code, "code");
        }
    }
}
