package org.ringkernel.actors;

import java.util.Comparator;
import java.util.List;
import org.ringkernel.bridge.kernel.KernelDefinition;

/**
 * What is known about one kernel: its signature and how its instances fare.
 *
 * @param definition the kernel's id, description and signature
 * @param backend the backend running it, e.g. {@code cpu}
 * @param instances its instances, at least one
 */
public record KernelInfo(KernelDefinition definition, String backend, List<InstanceStatus> instances) {
    /**
     * The one order every listing of kernels follows (the API's and the status page's, the inference protocol's,
     * errors naming the kernels): by id, alphabetically, so a reader finds a kernel where they look for it.
     */
    public static final Comparator<String> ID_ORDER = Comparator.naturalOrder();
    /** {@link #ID_ORDER}, for kernels. */
    public static final Comparator<KernelInfo> ORDER = Comparator.comparing(KernelInfo::id, ID_ORDER);

    /**
     * Checks the info.
     *
     * @throws IllegalArgumentException when there is no instance
     */
    public KernelInfo {
        instances = List.copyOf(instances);
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("a kernel has at least one instance");
        }
    }

    /** How the kernel batches now (as its first instance reports; every instance gets the same setting). */
    public BatchingSettings batching() {
        return instances.get(0).batching();
    }

    /** The kernel's id. */
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
