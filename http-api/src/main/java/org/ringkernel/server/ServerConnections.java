package org.ringkernel.server;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.ringkernel.http.Draining;

/**
 * The open connections of one listening port and the requests in progress on them, and their drain at
 * shutdown: {@link #startDrain()} tells every connection to answer new requests 503 and to close after its
 * response; {@link #drained()} completes once no request is in progress; {@link #closeIdle()} then closes the
 * connections that stayed open and idle.
 *
 * <p>A request counts as in progress from the moment its head arrives until its response, streamed entity
 * included, has been handed to the connection; the requests refused during the drain count too, so that the
 * drain ends only after their 503s are out.
 */
final class ServerConnections implements Draining {
    private final Set<ConnectionGuard.Handle> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final CompletableFuture<Done> draining = new CompletableFuture<>();
    private final CompletableFuture<Done> drained = new CompletableFuture<>();
    private final CompletableFuture<Done> closed = new CompletableFuture<>();

    /**
     * What there was when a drain began.
     *
     * @param connections the connections open
     * @param requests the requests in progress on them
     * @param nanos when, by {@link System#nanoTime()}
     */
    record DrainStart(int connections, int requests, long nanos) {
    }

    @Override
    public boolean draining() {
        return draining.isDone();
    }

    @Override
    public CompletionStage<Done> whenDraining() {
        return draining;
    }

    void opened(ConnectionGuard.Handle connection) {
        open.add(connection);
        if (draining()) {
            connection.drain();
        }
    }

    void closed(ConnectionGuard.Handle connection, int unfinished) {
        open.remove(connection);
        finished(unfinished);
        if (draining() && open.isEmpty()) {
            closed.complete(Done.getInstance());
        }
    }

    /**
     * Counts a request whose head arrived. The count comes first and the drain flag second, so a drain that
     * starts meanwhile either sees the request or the request sees the drain.
     *
     * @return whether the request may go to the routes; false during a drain, when it must be refused
     */
    boolean started() {
        inProgress.incrementAndGet();
        if (draining()) {
            refused.incrementAndGet();
            return false;
        }
        return true;
    }

    /** {@code count} requests (usually one) got their whole response, or their connection went away. */
    void finished(int count) {
        if (count > 0 && inProgress.addAndGet(-count) == 0 && draining()) {
            drained.complete(Done.getInstance());
        }
    }

    /** Begins the drain. */
    DrainStart startDrain() {
        long now = System.nanoTime();
        draining.complete(Done.getInstance());
        int requests = inProgress.get();
        open.forEach(ConnectionGuard.Handle::drain);
        if (requests == 0 || inProgress.get() == 0) {
            drained.complete(Done.getInstance());
        }
        if (open.isEmpty()) {
            closed.complete(Done.getInstance());
        }
        return new DrainStart(open.size(), requests, now);
    }

    /** Completes once no request is in progress after {@link #startDrain()}. */
    CompletionStage<Done> drained() {
        return drained;
    }

    /** Closes every connection with no request in progress; returns when all connections are gone. */
    CompletionStage<Done> closeIdle() {
        open.forEach(ConnectionGuard.Handle::closeIfIdle);
        return closed;
    }

    /** Requests refused with 503 since the drain began. */
    long refused() {
        return refused.get();
    }
}
