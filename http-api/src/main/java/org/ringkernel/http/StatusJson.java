package org.ringkernel.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.ringkernel.actors.InstanceStatus;
import org.ringkernel.actors.KernelInfo;
import org.ringkernel.actors.cluster.ClusterStatus;
import org.ringkernel.actors.cluster.NodeDescription;

/**
 * The body of {@code GET /api/status}, which the status page polls: the node, each kernel summed over its
 * instances (with each instance beside it), and the cluster's nodes where clustering is on. Every number is
 * the runtime's own, as its kernel actors last reported them (rates included); the page only lays them out.
 */
final class StatusJson {
    private final JsonResponses json;

    StatusJson(JsonResponses json) {
        this.json = json;
    }

    byte[] status(Instant now, String backend, String device, List<KernelInfo> kernels, Optional<ClusterStatus> cluster) {
        return json.write(out -> {
            out.writeStartObject();
            out.writeNumberField("time_ms", now.toEpochMilli());
            out.writeStringField("backend", backend);
            out.writeStringField("device", device);
            out.writeArrayFieldStart("kernels");
            for (KernelInfo kernel : kernels) {
                kernel(out, kernel);
            }
            out.writeEndArray();
            if (cluster.isPresent()) {
                cluster(out, cluster.get());
            } else {
                out.writeNullField("cluster");
            }
            out.writeEndObject();
        });
    }

    /**
     * Counts are sums over the instances; the latency shown for the kernel is its slowest instance's (percentiles
     * of separate windows do not add up); the mean batch is over every publish of every instance.
     */
    private static void kernel(JsonGenerator json, KernelInfo kernel) throws IOException {
        List<InstanceStatus> instances = kernel.instances();
        long received = 0;
        long succeeded = 0;
        long failed = 0;
        long timedOut = 0;
        long overloaded = 0;
        long batches = 0;
        long published = 0;
        int lastBatch = 0;
        int waiting = 0;
        int inFlight = 0;
        int restarts = 0;
        int active = 0;
        double perSecond = 0;
        Optional<InstanceStatus> lastFailed = Optional.empty();
        for (InstanceStatus instance : instances) {
            InstanceStatus.InstanceCounters c = instance.counters();
            received += c.received();
            succeeded += c.succeeded();
            failed += c.failed();
            timedOut += c.timedOut();
            overloaded += c.overloaded();
            batches += c.batches();
            published += c.published();
            lastBatch = Math.max(lastBatch, c.lastBatch());
            waiting += c.waiting();
            perSecond += c.answeredPerSecond();
            inFlight += c.inFlight();
            restarts += instance.restarts();
            active += instance.phase() == InstanceStatus.Phase.ACTIVE ? 1 : 0;
            if (instance.lastFailedAt().isPresent() && (lastFailed.isEmpty()
                    || instance.lastFailedAt().get().isAfter(lastFailed.get().lastFailedAt().get()))) {
                lastFailed = Optional.of(instance);
            }
        }
        json.writeStartObject();
        json.writeStringField("id", kernel.id());
        json.writeStringField("state", JsonResponses.lower(kernel.phase().name()));
        json.writeStringField("mode", kernel.mode());
        json.writeNumberField("instances", instances.size());
        json.writeNumberField("active", active);
        json.writeNumberField("received", received);
        json.writeNumberField("answered", succeeded + failed);
        json.writeNumberField("answered_per_s", perSecond);
        json.writeNumberField("succeeded", succeeded);
        json.writeNumberField("failed", failed);
        json.writeNumberField("timed_out", timedOut);
        json.writeNumberField("overloaded", overloaded);
        latency(json, instances.stream().map(InstanceStatus::latency)
                .max((a, b) -> Long.compare(a.p99Nanos(), b.p99Nanos())).orElse(InstanceStatus.Latency.NONE));
        json.writeNumberField("mean_batch", batches == 0 ? 0 : (double) published / batches);
        json.writeNumberField("last_batch", lastBatch);
        json.writeNumberField("waiting", waiting);
        json.writeNumberField("in_flight", inFlight);
        json.writeNumberField("restarts", restarts);
        if (lastFailed.isPresent()) {
            json.writeObjectFieldStart("last_failure");
            json.writeNumberField("instance", lastFailed.get().index());
            json.writeStringField("at", lastFailed.get().lastFailedAt().get().toString());
            json.writeStringField("reason", lastFailed.get().lastFailure().orElse(""));
            json.writeEndObject();
        } else {
            json.writeNullField("last_failure");
        }
        json.writeArrayFieldStart("per_instance");
        for (InstanceStatus instance : instances) {
            instance(json, instance);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void instance(JsonGenerator json, InstanceStatus instance) throws IOException {
        InstanceStatus.InstanceCounters c = instance.counters();
        json.writeStartObject();
        json.writeNumberField("index", instance.index());
        json.writeStringField("phase", JsonResponses.lower(instance.phase().name()));
        json.writeStringField("kernel_state", JsonResponses.lower(instance.kernelState().name()));
        json.writeStringField("node", instance.node());
        json.writeNumberField("answered", c.succeeded() + c.failed());
        json.writeNumberField("answered_per_s", c.answeredPerSecond());
        latency(json, instance.latency());
        json.writeNumberField("last_batch", c.lastBatch());
        json.writeNumberField("waiting", c.waiting());
        json.writeNumberField("in_flight", c.inFlight());
        json.writeNumberField("restarts", instance.restarts());
        json.writeStringField("last_failure", instance.lastFailure().orElse(null));
        json.writeStringField("last_failure_at", instance.lastFailedAt().map(Instant::toString).orElse(null));
        json.writeEndObject();
    }

    /** {@code p50_us} and {@code p99_us} are null before the first request was answered. */
    private static void latency(JsonGenerator json, InstanceStatus.Latency latency) throws IOException {
        json.writeNumberField("latency_samples", latency.samples());
        if (latency.samples() == 0) {
            json.writeNullField("p50_us");
            json.writeNullField("p99_us");
        } else {
            json.writeNumberField("p50_us", latency.p50Nanos() / 1e3);
            json.writeNumberField("p99_us", latency.p99Nanos() / 1e3);
        }
    }

    /** {@code {"self","leader","nodes":[{"address","status","reachable","roles","backend","entities"}]}} */
    private static void cluster(JsonGenerator json, ClusterStatus status) throws IOException {
        Map<String, NodeDescription> described = status.nodes().stream()
                .collect(Collectors.toMap(NodeDescription::node, node -> node, (a, b) -> a));
        json.writeObjectFieldStart("cluster");
        json.writeStringField("self", status.self());
        json.writeStringField("leader", status.leader());
        json.writeArrayFieldStart("nodes");
        for (ClusterStatus.Member member : status.members()) {
            NodeDescription node = described.get(member.address());
            json.writeStartObject();
            json.writeStringField("address", member.address());
            json.writeStringField("status", member.status());
            json.writeBooleanField("reachable", member.reachable());
            json.writeStringField("roles", String.join(", ", member.roles()));
            json.writeStringField("backend", node == null ? "" : node.backend());
            json.writeNumberField("entities", node == null ? 0 : node.entities().size());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
