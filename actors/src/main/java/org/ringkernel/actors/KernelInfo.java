package org.ringkernel.actors;

import java.util.List;
import org.ringkernel.bridge.kernel.KernelDefinition;

/**
 * What is known about one kernel: its signature and how its instances fare.
 *
 * @param definition the kernel's id, description and signature
 * @param backend the backend running it, e.g. {@code cpu}
 * @param batching how it batches now
 * @param instances its instances
 */
public record KernelInfo(KernelDefinition definition, String backend, BatchingSettings batching,
                         List<InstanceStatus> instances) {

    public KernelInfo {
        instances = List.copyOf(instances);
    }

    public String id() {
        return definition.id();
    }

    /** Whether at least one instance takes requests. */
    public boolean available() {
        return instances.stream().anyMatch(i -> i.phase() == InstanceStatus.Phase.ACTIVE);
    }

    /** The kernel's overall phase: active if any instance is, else restarting if any is, else unavailable. */
    public InstanceStatus.Phase phase() {
        if (available()) {
            return InstanceStatus.Phase.ACTIVE;
        }
        return instances.stream().anyMatch(i -> i.phase() == InstanceStatus.Phase.RESTARTING)
                ? InstanceStatus.Phase.RESTARTING : InstanceStatus.Phase.UNAVAILABLE;
    }

    /** How the instances run, e.g. {@code cpu-thread}; the first instance's mode. */
    public String mode() {
        return instances.isEmpty() ? "" : instances.get(0).mode();
    }
}
