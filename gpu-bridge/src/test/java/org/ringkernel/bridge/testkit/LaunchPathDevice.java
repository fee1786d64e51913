package org.ringkernel.bridge.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.ringkernel.bridge.runtime.DeviceExecution;
import org.ringkernel.bridge.runtime.InjectedFault;
import org.ringkernel.bridge.runtime.RingPathSettings;
import org.ringkernel.bridge.runtime.RingRouting;

/**
 * A GPU ring kernel as the host channel sees it, without a loop: requests its routing sends to the launch
 * path go to {@code launch}.
 */
public final class LaunchPathDevice implements DeviceExecution {
    private final RingRouting routing;
    private final LongConsumer launch;

    /** A ring kernel with a launch path: requests estimated over {@code ring}'s budget go to {@code launch}. */
    public LaunchPathDevice(RingPathSettings ring, LongConsumer launch) {
        this.routing = RingRouting.gpuRing(ring, true);
        this.launch = launch;
    }

    /** A ring kernel with a launch path that takes every request (a budget of zero). */
    public static LaunchPathDevice launchingEverything(LongConsumer launch) {
        return new LaunchPathDevice(new RingPathSettings(1e9, 1e9, Duration.ZERO, Optional.empty()), launch);
    }

    /** A ring kernel without a launch path, watched with {@code ring}'s limit. */
    public static LaunchPathDevice withoutLaunchPath(RingPathSettings ring) {
        return new LaunchPathDevice(RingRouting.gpuRing(ring, false));
    }

    private LaunchPathDevice(RingRouting routing) {
        this.routing = routing;
        this.launch = position -> {
            throw new IllegalStateException("no launch path, yet request " + position + " was launched");
        };
    }

    @Override
    public RingRouting routing() {
        return routing;
    }

    @Override
    public void launchOnHost(long position) {
        launch.accept(position);
    }

    @Override
    public String mode() {
        return "persistent";
    }

    @Override
    public Optional<Throwable> failureCause() {
        return Optional.empty();
    }

    @Override
    public boolean awaitStopped(Duration timeout) {
        return true;
    }

    @Override
    public void release() {
    }

    @Override
    public void inject(InjectedFault fault) {
    }

    @Override
    public void abandon() {
    }

    @Override
    public void ring() {
    }
}
