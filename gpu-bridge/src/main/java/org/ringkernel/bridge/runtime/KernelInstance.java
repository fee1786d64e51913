package org.ringkernel.bridge.runtime;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.TensorSpec;
import org.ringkernel.bridge.ring.ControlBlock;
import org.ringkernel.bridge.ring.KernelMemoryLayout;

/**
 * The host's handle on one launched kernel instance, the same for every backend: lifecycle through the
 * control block, requests and completions through its {@link HostChannel}.
 *
 * <p>Lifecycle: a launched instance reports {@link KernelState#LAUNCHED} and takes no requests until
 * {@link #activate()}; {@link #pause()} and {@link #resume()} stop and restart taking requests;
 * {@link #terminate} stops the loop for good, and says so when the loop does not stop in time.
 */
public final class KernelInstance implements AutoCloseable {
    private static final long MAX_POLL_PARK_NANOS = 1_000_000;

    private final KernelDefinition definition;
    private final int instance;
    private final ControlBlock control;
    private final HostChannel channel;
    private final DeviceExecution execution;
    private boolean released;

    /**
     * Wraps memory a backend laid out with {@code layout} and initialized with
     * {@link ControlBlock#hostInitialize}, driven by {@code execution}.
     */
    public KernelInstance(KernelDefinition definition, int instance, ByteBuffer memory, KernelMemoryLayout layout,
                          InstanceSettings settings, HybridLogicalClock clock, DeviceExecution execution) {
        this.definition = definition;
        this.instance = instance;
        this.control = new ControlBlock(memory, 0);
        this.channel = new HostChannel(definition.id(), definition.signature().cost(), memory, layout, clock,
                execution, settings.poisonOutputs(), settings.outputCheck(),
                definition.signature().outputs().stream().map(TensorSpec::name).toList());
        this.execution = execution;
    }

    /** The kernel this instance runs. */
    public KernelDefinition definition() {
        return definition;
    }

    /** The kernel's id. */
    public String kernelId() {
        return definition.id();
    }

    /** This instance's number among the kernel's, from 0. */
    public int instance() {
        return instance;
    }

    /** The host side of the instance's rings. */
    public HostChannel channel() {
        return channel;
    }

    /**
     * Asks the instance's loop to call {@code listener} on its thread after it published completions and when it
     * stopped ({@link DeviceExecution#callAfterCompletions}); the listener must not throw, or the loop fails.
     *
     * @return false where the loop cannot, so completions must be polled
     */
    public boolean callAfterCompletions(Runnable listener) {
        return execution.callAfterCompletions(listener);
    }

    /** The state the kernel reports. */
    public KernelState state() {
        return control.state();
    }

    /** Lets the kernel take requests. */
    public void activate() {
        command(KernelCommand.RUN);
    }

    /** Stops taking requests; those already taken complete. */
    public void pause() {
        command(KernelCommand.PAUSE);
    }

    /** Lets a paused kernel take requests again. */
    public void resume() {
        command(KernelCommand.RUN);
    }

    private void command(KernelCommand command) {
        control.hostCommand(command);
        execution.ring();
    }

    /**
     * Waits until the kernel reports a state that {@code wanted} accepts, or a final state.
     *
     * @return the state it reported last; the caller checks whether it is the one it wanted
     */
    public KernelState awaitState(Predicate<KernelState> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long park = 1_000;
        KernelState state = control.state();
        while (!wanted.test(state) && !state.isFinal() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, MAX_POLL_PARK_NANOS);
            state = control.state();
        }
        return state;
    }

    /**
     * Asks the loop to stop and waits up to {@code timeout}. A loop busy with a batch stops after that batch;
     * one that does not stop in time is reported, and its memory is kept, since the loop may still touch it.
     */
    public Termination terminate(Duration timeout) {
        if (released) {
            return new Termination(true, control.state(), describe() + " was already terminated");
        }
        long start = System.nanoTime();
        command(KernelCommand.TERMINATE);
        KernelState state = awaitState(KernelState::isFinal, timeout);
        boolean stopped = false;
        if (state.isFinal()) {
            try {
                stopped = execution.awaitStopped(timeout.minusNanos(System.nanoTime() - start));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!stopped) {
            return new Termination(false, state, describe() + " did not stop within " + timeout.toMillis()
                    + " ms; it still reports " + state + " (a batch may be running or the kernel hangs)");
        }
        released = true;
        execution.release();
        return new Termination(true, state, describe() + " stopped in state " + state);
    }

    /** Arms an injected fault for the kernel's next batch; see {@link InjectedFault}. */
    public void inject(InjectedFault fault) {
        execution.inject(fault);
        execution.ring();
    }

    /**
     * Gives up on an instance whose loop does not stop (a hang): asks it to terminate and ends its loop
     * without waiting. Its requests in flight get no completion from the kernel; the caller answers them.
     */
    public void abandon() {
        if (!released) {
            released = true;
            control.hostCommand(KernelCommand.TERMINATE);
            execution.abandon();
        }
    }

    /** Terminates with a generous timeout; see {@link #terminate}. */
    @Override
    public void close() {
        terminate(Duration.ofSeconds(10));
    }

    /** The instance's state, error and counters now. */
    public KernelStatus status() {
        KernelState state = control.state();
        KernelErrorCode error = state == KernelState.FAILED ? control.errorCode() : KernelErrorCode.NONE;
        return new KernelStatus(kernelId(), instance, execution.mode(), state, error, failure(state, error), counters());
    }

    private Optional<String> failure(KernelState state, KernelErrorCode error) {
        if (state != KernelState.FAILED) {
            return Optional.empty();
        }
        String cause = execution.failureCause()
                .map(t -> ": " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())).orElse("");
        return Optional.of(error.description() + " (detail " + control.errorDetail() + ")" + cause);
    }

    /** The instance's counters now. */
    public KernelCounters counters() {
        return new KernelCounters(channel.submitted(), channel.completed(), control.messagesProcessed(),
                control.batchesProcessed(), control.heartbeat());
    }

    /** The kernel's heartbeat, a value that grows while its loop runs. */
    public long heartbeat() {
        return control.heartbeat();
    }

    /** Batches the kernel has finished, from the control block. */
    public long batchesProcessed() {
        return control.batchesProcessed();
    }

    /** The control block's HLC reading: the kernel's clock after its last batch. */
    public long kernelClock() {
        return control.clock();
    }

    private String describe() {
        return "kernel '" + kernelId() + "' instance " + instance;
    }

    @Override
    public String toString() {
        return describe() + " (" + execution.mode() + ", " + control.state() + ")";
    }
}
