package org.ringkernel.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.stream.KernelFlows;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * Many requests at once without {@code OVERLOADED} answers, the two ways the README shows: a window of requests
 * in flight no larger than the kernel's ring, or a stream through {@link KernelFlows}, whose demand stays
 * within the ring. A plain loop of {@code process()} calls fills the ring and the wait queue faster than the
 * kernel drains them, and the requests past that are answered {@code OVERLOADED} at once: backpressure, not
 * a fault.
 */
public final class BurstExample {

    private BurstExample() {
    }

    /** Sends every request with at most {@code kernel.capacity()} in flight; the results in request order. */
    public static List<KernelResult> windowed(KernelRef kernel, List<KernelRequest> requests)
            throws InterruptedException {
        Semaphore window = new Semaphore(kernel.capacity());
        List<CompletableFuture<KernelResult>> results = new ArrayList<>(requests.size());
        for (KernelRequest request : requests) {
            window.acquire();
            results.add(kernel.process(request).whenComplete((result, failure) -> window.release())
                    .toCompletableFuture());
        }
        return results.stream().map(CompletableFuture::join).toList();
    }

    /** Sends every request through a stream that keeps up to 64 in flight; the results in request order. */
    public static List<KernelResult> streamed(KernelRef kernel, List<KernelRequest> requests, ActorSystem<?> system) {
        return Source.from(requests)
                .via(KernelFlows.ordered(kernel, 64))
                .runWith(Sink.seq(), system)
                .toCompletableFuture().join();
    }
}
