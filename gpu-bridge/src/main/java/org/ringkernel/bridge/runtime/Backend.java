package org.ringkernel.bridge.runtime;

import org.ringkernel.bridge.kernel.KernelDefinition;

/**
 * A device runtime that launches kernel instances: lays out their control block, rings and arena, and
 * starts their loops. Closing it terminates the instances it launched that still run.
 */
public interface Backend extends AutoCloseable {

    BackendKind kind();

    /** The device in words, for start-up logs and reports, e.g. {@code "cpu: 2 cores, Java 17"}. */
    String description();

    /**
     * Launches one instance of {@code definition}; it reports {@link KernelState#LAUNCHED} and waits for
     * {@link KernelInstance#activate()}.
     */
    KernelInstance launch(KernelDefinition definition, InstanceSettings settings);

    @Override
    void close();
}
