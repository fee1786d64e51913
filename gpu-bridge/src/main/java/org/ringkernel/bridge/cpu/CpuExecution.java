package org.ringkernel.bridge.cpu;

import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.ringkernel.bridge.runtime.DeviceExecution;
import org.ringkernel.bridge.runtime.HostResidentTensors;
import org.ringkernel.bridge.runtime.InjectedFault;

/** The thread that runs one CPU kernel loop, and what the host needs to know about it. */
final class CpuExecution implements DeviceExecution {
    private final String mode;
    private final Runnable onRelease;
    private volatile Thread thread;
    private volatile boolean sleeping;
    private volatile Throwable failure;
    private volatile Runnable afterCompletions;
    private final Optional<HostResidentTensors> hostResident;
    private final AtomicReference<InjectedFault> armedFault = new AtomicReference<>();
    private final CountDownLatch abandoned = new CountDownLatch(1);

    /**
     * @param mode how the instance runs, as kernel info reports it
     * @param onRelease told once the instance is released, so its owner can let go of it
     * @param hostResident the large tensors the loop reads and writes in host memory; empty where its executor
     *     needs every tensor in the arena (the CUDA launch path copies from there to the device)
     */
    CpuExecution(String mode, Runnable onRelease, Optional<HostResidentTensors> hostResident) {
        this.mode = mode;
        this.onRelease = onRelease;
        this.hostResident = hostResident;
    }

    void start(Runnable loop, String name) {
        Thread started = new Thread(loop, name);
        started.setDaemon(true);
        thread = started;
        started.start();
    }

    void sleeping(boolean value) {
        sleeping = value;
    }

    void recordFailure(Throwable cause) {
        failure = cause;
    }

    @Override
    public void ring() {
        // Full fence: the caller's release of new work must not move below the read of the sleeping flag,
        // or a loop that just checked for work could park through it.
        VarHandle.fullFence();
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public Optional<HostResidentTensors> hostResidentTensors() {
        return hostResident;
    }

    @Override
    public boolean callAfterCompletions(Runnable listener) {
        afterCompletions = listener;
        return true;
    }

    /** Called by the loop after it published completions, and once when it stopped. */
    void completionsPublished() {
        Runnable listener = afterCompletions;
        if (listener != null) {
            listener.run();
        }
    }

    @Override
    public void inject(InjectedFault fault) {
        armedFault.set(fault);
    }

    /** The fault armed for this batch, if any, disarming it. */
    InjectedFault takeFault() {
        return armedFault.getAndSet(null);
    }

    /** Blocks the loop, as a hung kernel would, until the instance is abandoned. */
    void hang() throws InterruptedException {
        abandoned.await();
    }

    /**
     * Waits up to {@code interval} for the instance to be abandoned, as a stalled worker's loop does between
     * heartbeats; true once it is.
     */
    boolean awaitAbandoned(Duration interval) throws InterruptedException {
        return abandoned.await(interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void abandon() {
        abandoned.countDown();
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
        onRelease.run();
    }

    @Override
    public String mode() {
        return mode;
    }

    @Override
    public Optional<Throwable> failureCause() {
        return Optional.ofNullable(failure);
    }

    @Override
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        Thread running = thread;
        running.join(Math.max(1, timeout.toMillis()));
        return !running.isAlive();
    }

    @Override
    public void release() {
        // The direct memory is freed by the collector once nothing reaches the instance: freeing it eagerly
        // would leave a host still draining the channel reading freed memory.
        onRelease.run();
    }
}
