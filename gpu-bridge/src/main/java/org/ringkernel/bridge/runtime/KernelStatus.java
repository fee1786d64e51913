package org.ringkernel.bridge.runtime;

import java.util.Optional;

/**
 * What the host can read about one kernel instance.
 *
 * @param kernelId the kernel's id
 * @param instance the instance number within its backend
 * @param mode how it runs, see {@link DeviceExecution#mode()}
 * @param state the state the kernel reports
 * @param error why it failed, {@link KernelErrorCode#NONE} unless {@code state} is FAILED
 * @param failure what made it fail, in words, when it failed
 * @param counters its counters
 */
public record KernelStatus(String kernelId, int instance, String mode, KernelState state, KernelErrorCode error,
                           Optional<String> failure, KernelCounters counters) {
}
