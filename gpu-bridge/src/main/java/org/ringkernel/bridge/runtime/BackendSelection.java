package org.ringkernel.bridge.runtime;

/**
 * The backend a configuration leads to, and why.
 *
 * @param requested what the configuration asked for
 * @param provider the provider chosen
 * @param reason why it was chosen, e.g. why {@code auto} fell back to the CPU
 */
public record BackendSelection(BackendKind requested, BackendProvider provider, String reason) {

    /** The backend chosen: the provider's. */
    public BackendKind chosen() {
        return provider.kind();
    }
}
