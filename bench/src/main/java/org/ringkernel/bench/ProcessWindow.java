package org.ringkernel.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * The {@link KernelRef#process} harness: a fixed window of requests in flight, each answer sending the next, until
 * a run's count is answered. It drives a kernel through its public API the way an application would, whether the
 * kernel is local or sharded, so both sides of a comparison pay the same caller's costs. The first error ends the
 * run and fails it.
 */
final class ProcessWindow {
    private final KernelRef kernel;
    private final KernelRequest request;
    private final int requests;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private ProcessWindow(KernelRef kernel, KernelRequest request, int requests) {
        this.kernel = kernel;
        this.request = request;
        this.requests = requests;
    }

    /** Sends {@code requests} copies of {@code request} to {@code kernel}, {@code window} at most unanswered. */
    static void run(KernelRef kernel, KernelRequest request, int requests, int window) throws Exception {
        ProcessWindow run = new ProcessWindow(kernel, request, requests);
        for (int i = 0; i < Math.min(window, requests); i++) {
            run.sendNext();
        }
        run.done.get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private void sendNext() {
        if (done.isDone() || sent.getAndIncrement() >= requests) {
            return;
        }
        kernel.process(request, BenchSystems.TIMEOUT).whenComplete(this::onAnswer);
    }

    private void onAnswer(KernelResult result, Throwable failure) {
        if (failure != null || !result.ok()) {
            done.completeExceptionally(new IllegalStateException("request answered with an error after "
                    + answered.get() + " answers", failure != null ? failure : result.error().orElseThrow()));
            return;
        }
        if (answered.incrementAndGet() == requests) {
            done.complete(null);
        } else {
            sendNext();
        }
    }
}
