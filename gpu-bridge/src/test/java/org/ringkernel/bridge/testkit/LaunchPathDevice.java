package org.ringkernel.bridge.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.ringkernel.bridge.runtime.DeviceExecution;
import org.ringkernel.bridge.runtime.InjectedFault;

/**
 * A device without a loop that hands every request above {@code threshold} bytes to {@code launch}: what a
 * persistent kernel's launch path looks like to the host channel.
 */
public final class LaunchPathDevice implements DeviceExecution {
    private final long threshold;
    private final LongConsumer launch;

    public LaunchPathDevice(long threshold, LongConsumer launch) {
        this.threshold = threshold;
        this.launch = launch;
    }

    @Override
    public long launchPathThreshold() {
        return threshold;
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
