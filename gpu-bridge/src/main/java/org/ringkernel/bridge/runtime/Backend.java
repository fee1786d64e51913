package org.ringkernel.bridge.runtime;

import java.util.Collection;
import java.util.function.Consumer;
import org.ringkernel.bridge.kernel.KernelDefinition;

/**
 * A device runtime that launches kernel instances: lays out their control block, rings and arena, and
 * starts their loops. Closing it terminates the instances it launched that still run.
 */
public interface Backend extends AutoCloseable {

    /** Which backend this is. */
    BackendKind kind();

    /** The device in words, for start-up logs and reports, e.g. {@code "cpu: 2 cores, Java 17"}. */
    String description();

    /**
     * Launches one instance of {@code definition}; it reports {@link KernelState#LAUNCHED} and waits for
     * {@link KernelInstance#activate()}.
     */
    KernelInstance launch(KernelDefinition definition, InstanceSettings settings);

    /**
     * Prepares everything {@code kernels} need before the first launch, {@code instancesEach} instances of
     * each: the CUDA backend loads their modules (a load beside a running persistent kernel could wait forever)
     * and checks that its memory pool holds them. Called by the owner right after opening; a kernel missing here
     * is prepared at its first launch where that is still safe.
     *
     * @throws IllegalStateException when the device cannot hold what they need, with the numbers
     */
    default void preload(Collection<KernelDefinition> kernels, int instancesEach) {
    }

    /**
     * Registers who is told, once, when the device fails as a whole (a sticky error, a kernel that would not
     * stop): every instance on it is lost, and only closing this backend and opening a new one recovers. The
     * reason names the error. The CPU backend never fails this way.
     */
    default void onDeviceFault(Consumer<String> listener) {
    }

    /** The device's memory now; safe to call from any thread, and cheap enough to sample every second. */
    DeviceMemory memory();

    @Override
    void close();
}
