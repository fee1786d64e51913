package org.ringkernel.bridge.runtime;

/** Receives completions as the host reads them; called on the thread that polls. */
@FunctionalInterface
public interface CompletionHandler {
    /** Takes one completion. */
    void onCompletion(Completion completion);
}
