package org.ringkernel.bridge.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * How much memory a backend holds for kernels now, and where the driver tells, how much the whole device holds;
 * for monitoring.
 *
 * @param kernels bytes held by running instances and their requests, of the most they may hold: arenas and
 *     rings of the JVM's direct-memory limit on the CPU backend, what the memory pool handed out of its size on
 *     CUDA
 * @param device the whole device as its driver reports it ({@code cuMemGetInfo} on CUDA), other users
 *     included; empty on the CPU backend
 */
public record DeviceMemory(Usage kernels, Optional<Usage> device) {

    /** Checks that both parts are there. */
    public DeviceMemory {
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(device, "device");
    }

    /** Only the kernels' memory, where no driver reports on a device. */
    public static DeviceMemory ofKernels(long usedBytes, long totalBytes) {
        return new DeviceMemory(new Usage(usedBytes, totalBytes), Optional.empty());
    }

    /**
     * Bytes in use of a total.
     *
     * @param usedBytes bytes in use
     * @param totalBytes the most there is
     */
    public record Usage(long usedBytes, long totalBytes) {
        /**
         * Checks the figures.
         *
         * @throws IllegalArgumentException when either is negative
         */
        public Usage {
            if (usedBytes < 0 || totalBytes < 0) {
                throw new IllegalArgumentException("memory cannot be negative: used " + usedBytes + ", total "
                        + totalBytes);
            }
        }
    }
}
