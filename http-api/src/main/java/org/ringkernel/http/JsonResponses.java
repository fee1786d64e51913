package org.ringkernel.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ringkernel.actors.BatchingSettings;
import org.ringkernel.actors.InstanceStatus;
import org.ringkernel.actors.KernelInfo;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.Readiness;
import org.ringkernel.actors.cluster.ClusterStatus;
import org.ringkernel.actors.cluster.EntityId;
import org.ringkernel.actors.cluster.NodeDescription;
import org.ringkernel.actors.cluster.RoutingCounters;
import org.ringkernel.bridge.kernel.ParamSpec;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * Writes the API's JSON bodies with a streaming generator: results, errors, kernel listings, probes, the cluster;
 * {@link V2Responses} and {@link StatusJson} write theirs through {@link #write} too.
 */
final class JsonResponses {
    /**
     * Writes floats and doubles by the Schubfach algorithm: the shortest text that reads back as the same value,
     * several times faster than {@link Float#toString} of Java 17, which dominates a result of many elements.
     */
    private final JsonFactory factory = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    @FunctionalInterface
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * The one place every JSON body of the server is made, so that each ends with a newline: {@code curl} output
     * ends cleanly, and a result is a line of an NDJSON stream as it is.
     */
    byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = factory.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** {@code {"outputs":[{"shape","data"}],"backend","node","timing":{…}}}; {@code node} only in a cluster. */
    byte[] result(KernelResult result) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("outputs");
            for (Tensor output : result.outputs()) {
                tensor(json, output);
            }
            json.writeEndArray();
            json.writeStringField("backend", result.backend());
            node(json, result.node());
            json.writeObjectFieldStart("timing");
            json.writeNumberField("queue_us", result.timing().queuedNanos() / 1e3);
            json.writeNumberField("ring_us", result.timing().ringNanos() / 1e3);
            json.writeNumberField("kernel_us", result.timing().kernelNanos() / 1e3);
            json.writeNumberField("total_us", result.timing().totalNanos() / 1e3);
            json.writeNumberField("batch_size", result.timing().batchSize());
            json.writeStringField("path", result.timing().path());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void tensor(JsonGenerator json, Tensor tensor) throws IOException {
        json.writeStartObject();
        json.writeFieldName("shape");
        json.writeArray(tensor.shape(), 0, tensor.rank());
        floats(json, "data", tensor.data());
        json.writeEndObject();
    }

    /**
     * {@code "field":[…]}, each value a JSON number; the generator's defaults write a non-finite value as the
     * string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}, which JSON has no number for.
     */
    static void floats(JsonGenerator json, String field, float[] values) throws IOException {
        json.writeArrayFieldStart(field);
        for (float value : values) {
            json.writeNumber(value);
        }
        json.writeEndArray();
    }

    /** {@code {"error":{"code","message"}}} */
    byte[] error(ApiError error) {
        return write(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("error");
            json.writeStringField("code", error.code());
            json.writeStringField("message", error.message());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    byte[] kernels(List<KernelInfo> kernels) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("kernels");
            for (KernelInfo info : kernels) {
                kernel(json, info);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    byte[] kernel(KernelInfo info) {
        return write(json -> kernel(json, info));
    }

    private static void kernel(JsonGenerator json, KernelInfo info) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", info.id());
        json.writeStringField("description", info.definition().description());
        specs(json, "inputs", info.definition().signature().inputs());
        specs(json, "outputs", info.definition().signature().outputs());
        json.writeArrayFieldStart("params");
        for (ParamSpec param : info.definition().signature().params()) {
            json.writeStartObject();
            json.writeStringField("name", param.name());
            json.writeNumberField("default", param.defaultValue());
            json.writeNumberField("min", param.min());
            json.writeNumberField("max", param.max());
            json.writeBooleanField("integral", param.integral());
            json.writeStringField("description", param.description());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringField("mode", info.mode());
        json.writeStringField("state", lower(info.phase().name()));
        json.writeStringField("backend", info.backend());
        batching(json, info.batching());
        json.writeArrayFieldStart("instances");
        for (InstanceStatus instance : info.instances()) {
            instance(json, instance);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void specs(JsonGenerator json, String field, List<TensorSpec> specs) throws IOException {
        json.writeArrayFieldStart(field);
        for (TensorSpec spec : specs) {
            json.writeStartObject();
            json.writeStringField("name", spec.name());
            json.writeStringField("shape", spec.shape());
            json.writeBooleanField("optional", spec.optional());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void instance(JsonGenerator json, InstanceStatus instance) throws IOException {
        InstanceStatus.InstanceCounters c = instance.counters();
        json.writeStartObject();
        json.writeNumberField("index", instance.index());
        json.writeStringField("phase", lower(instance.phase().name()));
        json.writeStringField("kernel_state", lower(instance.kernelState().name()));
        json.writeNumberField("restarts", instance.restarts());
        json.writeStringField("last_failure", instance.lastFailure().orElse(null));
        node(json, instance.node());
        json.writeObjectFieldStart("counters");
        json.writeNumberField("received", c.received());
        json.writeNumberField("succeeded", c.succeeded());
        json.writeNumberField("failed", c.failed());
        json.writeNumberField("timed_out", c.timedOut());
        json.writeNumberField("overloaded", c.overloaded());
        json.writeNumberField("batches", c.batches());
        json.writeNumberField("published", c.published());
        json.writeNumberField("largest_batch", c.largestBatch());
        json.writeNumberField("in_flight", c.inFlight());
        json.writeNumberField("waiting", c.waiting());
        json.writeEndObject();
        json.writeEndObject();
    }

    /** The cluster node that computed a result or runs an instance; there is none to name with clustering off. */
    private static void node(JsonGenerator json, String node) throws IOException {
        if (!node.isEmpty()) {
            json.writeStringField("node", node);
        }
    }

    private static void batching(JsonGenerator json, BatchingSettings batching) throws IOException {
        json.writeObjectFieldStart("batching");
        json.writeStringField("mode", batching.mode().configName());
        json.writeNumberField("max_batch_size", batching.maxBatchSize());
        json.writeNumberField("max_delay_us", batching.maxDelay().toNanos() / 1e3);
        json.writeEndObject();
    }

    byte[] batching(BatchingSettings batching) {
        return write(json -> {
            json.writeStartObject();
            batching(json, batching);
            json.writeEndObject();
        });
    }

    byte[] health() {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("status", "ok");
            json.writeEndObject();
        });
    }

    byte[] readiness(Readiness readiness, String backend) {
        return write(json -> {
            json.writeStartObject();
            json.writeBooleanField("ready", readiness.ready());
            json.writeStringField("backend", backend);
            strings(json, "problems", readiness.problems());
            strings(json, "notes", readiness.notes());
            json.writeEndObject();
        });
    }

    /**
     * {@code {"self","leader","members":[…],"nodes":[{"node","roles","backend","notes","entities":[…]}],
     * "routing":{kernel:{…}}}}
     */
    byte[] cluster(ClusterStatus status) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("self", status.self());
            json.writeStringField("leader", status.leader());
            json.writeArrayFieldStart("members");
            for (ClusterStatus.Member member : status.members()) {
                json.writeStartObject();
                json.writeStringField("address", member.address());
                strings(json, "roles", member.roles());
                json.writeStringField("status", member.status());
                json.writeBooleanField("reachable", member.reachable());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("nodes");
            for (NodeDescription node : status.nodes()) {
                clusterNode(json, node);
            }
            json.writeEndArray();
            json.writeObjectFieldStart("routing");
            for (Map.Entry<String, RoutingCounters.Snapshot> kernel : new TreeMap<>(status.routing()).entrySet()) {
                RoutingCounters.Snapshot routed = kernel.getValue();
                json.writeObjectFieldStart(kernel.getKey());
                json.writeNumberField("sent", routed.sent());
                json.writeNumberField("resent", routed.resent());
                json.writeNumberField("retried", routed.retried());
                json.writeNumberField("lost", routed.lost());
                json.writeNumberField("late", routed.late());
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void clusterNode(JsonGenerator json, NodeDescription node) throws IOException {
        json.writeStartObject();
        json.writeStringField("node", node.node());
        strings(json, "roles", node.roles());
        json.writeStringField("backend", node.backend());
        strings(json, "notes", node.notes());
        json.writeArrayFieldStart("entities");
        for (NodeDescription.HostedEntity entity : node.entities()) {
            InstanceStatus status = entity.status();
            InstanceStatus.InstanceCounters c = status.counters();
            json.writeStartObject();
            json.writeStringField("entity_id", entity.entityId());
            json.writeStringField("kernel", EntityId.parse(entity.entityId()).kernelId());
            json.writeStringField("phase", lower(status.phase().name()));
            json.writeStringField("kernel_state", lower(status.kernelState().name()));
            json.writeStringField("backend", entity.backend());
            json.writeStringField("last_failure", status.lastFailure().orElse(null));
            json.writeObjectFieldStart("counters");
            json.writeNumberField("received", c.received());
            json.writeNumberField("succeeded", c.succeeded());
            json.writeNumberField("failed", c.failed());
            json.writeNumberField("in_flight", c.inFlight());
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** {@code field}: an array of {@code values}. */
    static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    /** An enum constant's name as the JSON bodies write it, e.g. {@code active}. */
    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
