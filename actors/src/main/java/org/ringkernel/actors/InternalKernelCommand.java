package org.ringkernel.actors;

import java.util.List;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.KernelStatus;

/** Messages the bridge's own parts send to kernel actors and kernel supervisors; not for applications. */
sealed interface InternalKernelCommand extends KernelCommand {

    /**
     * Completions the poller read from instance {@code generation}'s ring, in ring order; it answered those
     * {@link DirectAnswers} lets it answer before it sent this.
     */
    record CompletionsArrived(long generation, List<Completion> completions) implements InternalKernelCommand {
    }

    /** The poller saw instance {@code generation} stop (failed or terminated) and read its last completions. */
    record InstanceStopped(long generation, KernelStatus status) implements InternalKernelCommand {
    }

    /** The batching delay passed: publish what has gathered. */
    enum FlushDue implements InternalKernelCommand { INSTANCE }

    /** Check deadlines and the watchdog. */
    enum Tick implements InternalKernelCommand { INSTANCE }

    /** The backoff after a failure passed: launch a new instance. */
    enum Relaunch implements InternalKernelCommand { INSTANCE }

    /** The device was restarted: drop the instance and launch on {@code device}. */
    record DeviceRestarted(DeviceHandle device, String reason) implements InternalKernelCommand {
    }

    /** An instance applied a batching change. */
    enum BatchingApplied implements InternalKernelCommand { INSTANCE }

    /** An instance actor's news for its kernel supervisor. */
    record InstanceReport(InstanceStatus status) implements InternalKernelCommand {
    }
}
