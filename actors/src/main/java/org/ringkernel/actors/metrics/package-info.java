/**
 * The runtime's metrics, recorded by the kernel actors and the device supervisor themselves, never by
 * callers. {@link org.ringkernel.actors.metrics.RuntimeMetrics#of} gives the Kamon recorder when
 * {@code ringkernel.telemetry.enabled} is on and a recorder that does nothing when it is off. Instruments are
 * looked up once per kernel and kept, so the hot path builds no names or tag sets. Who reports them (the
 * server's Prometheus endpoint, say) is the embedding application's choice; the names as Prometheus shows
 * them are listed in {@link org.ringkernel.actors.metrics.MetricNames}.
 */
package org.ringkernel.actors.metrics;
