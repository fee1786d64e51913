package org.ringkernel.actors.metrics;

/**
 * One instance's share of its kernel's queue-depth, in-flight and ring-occupancy gauges. An instance sets its
 * numbers; the gauges move by the difference, so the instances of a kernel add up. Used by one actor only.
 */
public interface InstanceGauges {

    /** The instance now holds {@code waiting} requests in its queue and {@code inFlight} in its ring. */
    void update(int waiting, int inFlight);
}
