package org.ringkernel.actors;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The failures of one kernel instance slot, kept across its relaunches: how many in a row (for the backoff)
 * and when (for the restart budget). Owned by the slot's actor alone.
 */
final class RestartHistory {
    private final SupervisionSettings settings;
    private final Deque<Long> restarts = new ArrayDeque<>();
    private int inARow;
    private int total;

    RestartHistory(SupervisionSettings settings) {
        this.settings = settings;
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
