package org.ringkernel.actors.cluster;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one node's router of one kernel did with the requests it sent across the cluster; written by the router
 * actor only, read from any thread.
 */
public final class RoutingCounters {
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong late = new AtomicLong();

    void sent(int requests) {
        sent.addAndGet(requests);
    }

    void resent() {
        resent.incrementAndGet();
    }

    void retried() {
        retried.incrementAndGet();
    }

    void lost() {
        lost.incrementAndGet();
    }

    void late() {
        late.incrementAndGet();
    }

    /**
     * The counts now.
     *
     * @return what was sent, resent, retried, lost and dropped so far
     */
    public Snapshot snapshot() {
        return new Snapshot(sent.get(), resent.get(), retried.get(), lost.get(), late.get());
    }

    /**
     * @param sent requests sent to entities, every sending counted
     * @param resent requests sent again because no entity acknowledged them in time
     * @param retried requests sent once more after the entity holding them was lost
     * @param lost requests answered with an error because the entity holding them was lost
     * @param late answers dropped because their request had been answered already
     */
    public record Snapshot(long sent, long resent, long retried, long lost, long late) {
    }
}
