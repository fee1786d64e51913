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
     * @param requiredDriverVersion the oldest CUDA version a driver must implement to load it, as
     *     {@code cuDriverGetVersion} counts ({@code 13000} for 13.0: the toolkit it was built with), or 0 when
     *     unknown; the backend's probe refuses older drivers
     */
    record Image(String name, Supplier<byte[]> bytes, int requiredDriverVersion) implements CudaModule {
        /**
         * Checks the image.
         *
         * @throws IllegalArgumentException when the driver version is negative
         */
        public Image {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(bytes, "bytes");
            if (requiredDriverVersion < 0) {
                throw new IllegalArgumentException("a driver version of at least 0, got " + requiredDriverVersion);
            }
        }

        /** An image whose required driver is not known. */
        public Image(String name, Supplier<byte[]> bytes) {
            this(name, bytes, 0);
        }
    }

    /**
     * CUDA C source defining the entries with {@code extern "C"} linkage.
     *
     * @param name the source's name, as NVRTC reports it in compile errors
     * @param code the source text
     */
    record Source(String name, String code) implements CudaModule {
        /** Checks that both parts are there. */
        public Source {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(code, "code");
        }
    }
}
