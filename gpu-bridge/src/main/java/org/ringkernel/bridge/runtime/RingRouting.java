package org.ringkernel.bridge.runtime;

import java.util.Locale;
import java.util.Objects;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.CostModel;
import org.ringkernel.bridge.kernel.RequestCost;

/**
 * How a kernel instance chooses, per request, between its loop and a launch path. Only a GPU ring kernel
 * chooses: one block computes a whole request there, reading the arena over PCIe, so a costly request would
 * hold the block (and, on block 0, the heartbeat) for long. A CPU loop and a launch-path instance run every
 * request as they always do.
 */
public final class RingRouting {
    private static final RingRouting LOOP_ONLY = new RingRouting(null, false);

    private final RingPathSettings ring;
    private final boolean launchPath;

    private RingRouting(RingPathSettings ring, boolean launchPath) {
        this.ring = ring;
        this.launchPath = launchPath;
    }

    /** Every request runs on the instance's loop. */
    public static RingRouting loopOnly() {
        return LOOP_ONLY;
    }

    /**
     * A GPU ring kernel's routing.
     *
     * @param launchPath whether the kernel has a launch path for requests over {@code ring}'s budget
     */
    public static RingRouting gpuRing(RingPathSettings ring, boolean launchPath) {
        return new RingRouting(Objects.requireNonNull(ring, "ring"), launchPath);
    }

    /**
     * Whether {@code request} takes the launch path, by {@code model}'s estimate of its cost; only a GPU ring
     * kernel's routing asks the model.
     *
     * @throws RequestTooCostlyException when it would hold a ring block up to the limit and there is no
     *     launch path, naming the kernel, the estimate and the limit
     */
    public boolean takesLaunchPath(String kernelId, CostModel model, BoundRequest request) {
        if (ring == null) {
            return false;
        }
        RequestCost cost = model.estimate(request);
        double nanos = ring.estimateNanos(cost);
        if (launchPath) {
            return nanos > ring.budget().toNanos();
        }
        if (ring.limit().isPresent() && nanos >= ring.limit().get().toNanos()) {
            throw new RequestTooCostlyException(String.format(Locale.ROOT, "kernel '%s': the request is estimated "
                    + "at %.3g s on one block of its ring kernel (%.3g flops, %.3g bytes), not below the %s limit "
                    + "(ringkernel.supervision.watchdog-timeout), and the kernel has no launch path to run it "
                    + "instead; split the request or give the kernel a launch entry", kernelId, nanos / 1e9,
                    cost.flops(), cost.bytes(), SettingsReader.describe(ring.limit().get())));
        }
        return false;
    }
}
