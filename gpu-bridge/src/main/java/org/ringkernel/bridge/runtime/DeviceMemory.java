package org.ringkernel.bridge.runtime;

/**
 * How much memory a backend's device holds for kernels now, for monitoring.
 *
 * @param usedBytes bytes held by running instances and their requests: arena and rings on the CPU backend,
 *     what the memory pool has handed out on CUDA
 * @param totalBytes the most it could hold: the JVM's direct-memory limit on the CPU backend, the pool's size
 *     on CUDA
 */
public record DeviceMemory(long usedBytes, long totalBytes) {
    public DeviceMemory {
        if (usedBytes < 0 || totalBytes < 0) {
            throw new IllegalArgumentException("device memory cannot be negative: used " + usedBytes + ", total "
                    + totalBytes);
        }
    }
}
