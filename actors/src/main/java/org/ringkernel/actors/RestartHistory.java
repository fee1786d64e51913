package org.ringkernel.actors;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The failures of one kernel instance slot, kept across its relaunches and across restarts of its actor: how many
 * in a row (for the backoff) and when (for the restart budget), and the number of its instances. Owned by the slot's
 * actor alone.
 */
final class RestartHistory {
    private final SupervisionSettings settings;
    private final Deque<Long> restarts = new ArrayDeque<>();
    private int inARow;
    private int total;
    private long generation;

    RestartHistory(SupervisionSettings settings) {
        this.settings = settings;
    }

    /**
     * A number for the slot's next instance (or for none, once one is let go) that no earlier one had, also before its
     * actor restarted: the poller's messages about an instance carry it, so that those about an earlier one, still in
     * the mailbox, are told apart and never matched against the requests of a later one.
     */
    long nextGeneration() {
        return ++generation;
    }

    /** Records a failure at {@code nowNanos}; true when the budget still allows a relaunch. */
    boolean recordFailure(long nowNanos) {
        inARow++;
        total++;
        restarts.addLast(nowNanos);
        long windowStart = nowNanos - settings.restartWindow().toNanos();
        while (!restarts.isEmpty() && restarts.peekFirst() - windowStart < 0) {
            restarts.removeFirst();
        }
        return restarts.size() <= settings.maxRestarts();
    }

    /** A request completed: the instance works, so the next failure starts a new series. */
    void recordSuccess() {
        inARow = 0;
    }

    /** Forgets the budget's window, for a retry after the kernel was declared unavailable. */
    void clearBudget() {
        restarts.clear();
        inARow = 0;
    }

    /** The wait before the next relaunch. */
    java.time.Duration backoff() {
        return settings.backoff(Math.max(1, inARow));
    }

    int total() {
        return total;
    }
}
