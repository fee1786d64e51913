package org.ringkernel.bridge.cuda;

import java.util.ArrayList;
import java.util.List;
import org.ringkernel.bridge.kernel.CudaEntry;

/**
 * What the configured kernels need of the {@link DeviceMemoryPool}, summed before any of them starts: each
 * instance's scratch for its life, and room for the largest launch-path request, whose inputs and outputs fit
 * in one arena (each rounded up to whole granules).
 */
final class PoolDemand {
    /** The most inputs and outputs of one request, each of which may waste up to a granule to alignment. */
    private static final int MAX_TENSORS = LaunchArgs.MAX_INPUTS + LaunchArgs.MAX_OUTPUTS;

    private final long launchScratch;
    private final List<String> parts = new ArrayList<>();
    private long scratch;
    private boolean launches;

    PoolDemand(CudaDevice device) {
        this.launchScratch = LaunchPath.scratchBytes(device);
    }

    /** Adds {@code instances} instances of a kernel running {@code entry}. */
    void add(String kernelId, CudaEntry entry, int instances) {
        long each = (entry.launchPath() ? 0 : DeviceMemoryPool.granules(PersistentKernel.SCRATCH_LENGTH))
                + (entry.launchEntry().isPresent() ? launchScratch : 0);
        launches |= entry.launchEntry().isPresent();
        scratch += each * instances;
        parts.add("'" + kernelId + "' " + instances + " x " + each);
    }

    /** Bytes the pool must hold, with requests of at most {@code arenaBytes}. */
    long required(long arenaBytes) {
        return scratch + (launches ? largestRequest(arenaBytes) : 0);
    }

    private static long largestRequest(long arenaBytes) {
        return DeviceMemoryPool.granules(arenaBytes) + MAX_TENSORS * DeviceMemoryPool.GRANULE;
    }

    /**
     * @throws IllegalStateException when a pool of {@code poolBytes} is too small, with the numbers
     */
    void check(long poolBytes, long arenaBytes) {
        long required = required(arenaBytes);
        if (required > poolBytes) {
            throw new IllegalStateException("ringkernel.memory.pool-size holds " + poolBytes + " bytes, but the "
                    + "kernels need " + required + ": " + scratch + " bytes of scratch kept by their instances ("
                    + String.join(", ", parts) + ")" + (launches ? " and " + largestRequest(arenaBytes)
                    + " bytes for the largest launch-path request (ringkernel.kernel.arena-size " + arenaBytes
                    + " plus alignment)" : "") + "; raise ringkernel.memory.pool-size to at least " + required);
        }
    }
}
