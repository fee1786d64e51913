package org.ringkernel.bridge.runtime;

/** Receives completions as the host reads them; called on the thread that polls. */
@FunctionalInterface
public interface CompletionHandler {
    void onCompletion(Completion completion);
}
