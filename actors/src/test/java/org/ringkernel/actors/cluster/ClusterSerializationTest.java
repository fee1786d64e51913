package org.ringkernel.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.serialization.DisabledJavaSerializer;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.BatchingMode;
import org.ringkernel.actors.BatchingSettings;
import org.ringkernel.actors.ErrorCode;
import org.ringkernel.actors.InstanceStatus;
import org.ringkernel.actors.KernelTiming;
import org.ringkernel.actors.RequestTrace;
import org.ringkernel.actors.TraceParent;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.InjectedFault;
import org.ringkernel.bridge.runtime.KernelState;

/**
 * Every message that crosses nodes survives Pekko's configured serializer on a system with clustering on: Jackson
 * CBOR, tensors as little-endian float32 byte strings, actor references resolvable from another node, and Java
 * serialization refused for anything else.
 */
class ClusterSerializationTest {
    /** Float values that text or a lossy encoding would alter: NaN with a payload, infinities, -0.0, extremes. */
    private static final float[] EDGES = {Float.NaN, Float.intBitsToFloat(0x7fc0_1234), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, -0.0f, Float.MIN_VALUE, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE};

    private static ActorTestKit testKit;
    private static Serialization serialization;

    private final SplittableRandom random = new SplittableRandom(11);

    @BeforeAll
    static void startSystem() {
        testKit = ActorTestKit.create(ClusterSystemConfig.apply(ConfigFactory.parseString("""
                        ringkernel.cluster { enabled = on, port = 0, roles = [gpu] }
                        ringkernel.backend = cpu
                        pekko.loglevel = WARNING
                        """).withFallback(ConfigFactory.load())));
        serialization = SerializationExtension.get(testKit.system().classicSystem());
    }

    @AfterAll
    static void stopSystem() {
        testKit.shutdownTestKit();
    }

    @Test
    void theSystemRunsAsAClusterNodeWithJavaSerializationOff() {
        assertEquals("cluster", testKit.system().settings().config().getString("pekko.actor.provider"));
        assertFalse(testKit.system().settings().config().getBoolean("pekko.actor.allow-java-serialization"));
    }

    /** The entity's node continues a sampled trace; an untraced request sends no trace context at all. */
    @Test
    void aSampledTraceTravelsWithTheRequestAndAnUntracedOneSendsNone() {
        TraceParent caller = new TraceParent(TraceParent.newTraceId(), TraceParent.newSpanId(), true);
        KernelRequest request = KernelRequest.of(Tensor.of(2f));
        WireRequest traced = WireRequest.of(1, request, Duration.ofSeconds(1), RequestTrace.remote(caller));
        assertEquals(caller.header(), traced.traceParent());
        assertEquals(Optional.of(caller), traced.trace().traceParent());

        WireRequest untraced = WireRequest.of(2, request, Duration.ofSeconds(1), RequestTrace.NONE);
        assertEquals("", untraced.traceParent());
        assertFalse(untraced.trace().sampled());
        assertFalse(new WireRequest(3, List.of(), Map.of(), 1, "not a traceparent").trace().sampled(),
                "a bad value from another node continues no trace");
    }

    @Test
    void computeKeepsTensorsBitForBitAndItsReplyAddress() {
        TestProbe<Results> probe = testKit.createTestProbe();
        List<WireRequest> requests = new ArrayList<>();
        for (int seq = 0; seq < 5; seq++) {
            requests.add(new WireRequest(seq, List.of(tensor(new int[] {4, 6}), tensor(new int[] {3 + seq})),
                    Map.of("alpha", random.nextDouble() * 10 - 5, "beta", -0.0, "gamma", Double.MIN_VALUE),
                    Duration.ofSeconds(5).toNanos() + seq));
        }
        requests.add(new WireRequest(5, List.of(new WireTensor(new int[] {EDGES.length}, littleEndian(EDGES))),
                Map.of(), 1, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        KernelEntity.Compute compute = new KernelEntity.Compute(requests, probe.ref());

        byte[] bytes = serialize(compute);
        KernelEntity.Compute back = deserialize(bytes, compute);

        assertEquals(compute, back);
        assertEquals(probe.ref(), back.replyTo());
        assertContains(bytes, ActorRefResolver.get(testKit.system()).toSerializationFormat(probe.ref())
                .getBytes(StandardCharsets.UTF_8), "the reply address with this node's host and port");
        for (WireRequest request : requests) {
            for (WireTensor tensor : request.inputs()) {
                assertContains(bytes, tensor.data(), "the tensor's little-endian float32 bytes, verbatim");
            }
        }
        assertFalse(contains(bytes, "Infinity".getBytes(StandardCharsets.US_ASCII)), "no float as text");
        float[] edges = back.requests().get(5).toRequest().inputs().get(0).data();
        for (int i = 0; i < EDGES.length; i++) {
            assertEquals(Float.floatToRawIntBits(EDGES[i]), Float.floatToRawIntBits(edges[i]), "edge value " + i);
        }
    }

    @Test
    void drainAndWakeStayTheirSingletons() {
        assertSame(KernelEntity.Drain.INSTANCE, roundTrip(KernelEntity.Drain.INSTANCE));
        assertSame(KernelEntity.Wake.INSTANCE, roundTrip(KernelEntity.Wake.INSTANCE));
    }

    @Test
    void configureAndInjectCarryTheirSettingsAndReplyAddress() {
        TestProbe<KernelEntity.Acknowledged> probe = testKit.createTestProbe();
        for (BatchingMode mode : BatchingMode.values()) {
            KernelEntity.Configure configure = new KernelEntity.Configure(
                    new BatchingSettings(mode, 1 + random.nextInt(1024), Duration.ofNanos(123_456_789)), probe.ref());
            assertEquals(configure, roundTrip(configure));
        }
        for (InjectedFault fault : InjectedFault.values()) {
            KernelEntity.Inject inject = new KernelEntity.Inject(fault, probe.ref());
            KernelEntity.Inject back = roundTrip(inject);
            assertEquals(inject, back);
            assertEquals(probe.ref(), back.replyTo());
        }
    }

    @Test
    void acknowledgedWithAndWithoutAnError() {
        KernelEntity.Acknowledged done = new KernelEntity.Acknowledged("square#0", Optional.empty());
        KernelEntity.Acknowledged refused = new KernelEntity.Acknowledged("square#1",
                Optional.of("kernel entity square#1 on pekko://n@127.0.0.1:2551 has no instance"));
        assertEquals(done, roundTrip(done));
        assertEquals(refused, roundTrip(refused));
    }

    @Test
    void resultsCarryOutputsEveryErrorCodeAndTimings() {
        TestProbe<KernelEntity.Command> entity = testKit.createTestProbe();
        List<WireResult> results = new ArrayList<>();
        WireTensor output = tensor(new int[] {2, 3, 4});
        results.add(new WireResult(7, List.of(output, tensor(new int[] {1})), Optional.empty(), "", "cpu",
                new KernelTiming(1_234, 56_789, 4_321, 17, "ring")));
        long seq = 8;
        for (ErrorCode code : ErrorCode.values()) {
            results.add(new WireResult(seq++, List.of(), Optional.of(code), "kernel 'square': " + code + " happened",
                    "", KernelTiming.NONE));
        }
        Results message = new Results("square#1", entity.ref(), "pekko://ringkernel@127.0.0.1:2552",
                List.of(7L, 8L, 9L, Long.MAX_VALUE), results);

        byte[] bytes = serialize(message);
        Results back = deserialize(bytes, message);

        assertEquals(message, back);
        assertEquals(entity.ref(), back.entity());
        assertContains(bytes, output.data(), "the output's little-endian float32 bytes, verbatim");
    }

    @Test
    void unreadableBytesAreRefusedWithTheManifestNamed() {
        TestProbe<Results> probe = testKit.createTestProbe();
        KernelEntity.Compute compute = new KernelEntity.Compute(List.of(), probe.ref());
        Serializer serializer = serialization.findSerializerFor(compute);
        byte[] truncated = Arrays.copyOf(serialize(new KernelEntity.Compute(List.of(new WireRequest(1,
                List.of(tensor(new int[] {64})), Map.of(), 1)), probe.ref())), 40);
        Throwable failure = serialization.deserialize(truncated, serializer.identifier(), "C").failed().get();
        assertTrue(failure.getMessage().contains("manifest 'C'"), failure.getMessage());
        assertTrue(ClusterSerializationTest.class.getResource("/org/ringkernel/actors/cluster/cluster.proto") != null,
                "the protobuf definition ships with the jar");
    }

    @Test
    void nodeDescriptionsCarryTheirEntitiesStatus() {
        InstanceStatus failedOnce = new InstanceStatus(1, InstanceStatus.Phase.RESTARTING, KernelState.FAILED,
                "cpu-thread", new BatchingSettings(BatchingMode.FIXED_DELAY, 32, Duration.ofMillis(2)), 3,
                Optional.of("kernel 'square' instance 1 stopped its heartbeat"),
                Optional.of(Instant.parse("2024-03-01T02:13:07.123456789Z")),
                new InstanceStatus.InstanceCounters(1_000_003, 999_001, 1_002, 7, 995, 40_001, 999_999, 256, 17, 12, 3, 12_345.5),
                new InstanceStatus.Latency(1024, 180_123, 2_400_987), "pekko://ringkernel@127.0.0.1:2552");
        InstanceStatus fresh = new InstanceStatus(0, InstanceStatus.Phase.ACTIVE, KernelState.ACTIVE, "cpu-thread",
                new BatchingSettings(BatchingMode.OPPORTUNISTIC, 64, Duration.ofNanos(250_001)), 0, Optional.empty(),
                Optional.empty(), InstanceStatus.InstanceCounters.ZERO, InstanceStatus.Latency.NONE, "pekko://ringkernel@127.0.0.1:2552");
        NodeDescription description = new NodeDescription("pekko://ringkernel@127.0.0.1:2552", List.of("gpu", "ingress"),
                "cpu", List.of(new NodeDescription.HostedEntity("square#1", "cpu", failedOnce),
                        new NodeDescription.HostedEntity("square#0", "cpu", fresh)),
                List.of("role gpu but no usable CUDA device: kernels run on the CPU backend"));
        NodeDescription bare = new NodeDescription("pekko://ringkernel@127.0.0.1:2553", List.of("ingress"), "none",
                List.of(), List.of());

        assertEquals(description, roundTrip(description));
        assertEquals(bare, roundTrip(bare));
    }

    @Test
    void describeCarriesItsReplyAddress() {
        TestProbe<NodeDescription> probe = testKit.createTestProbe();
        NodeDescription.Describe describe = new NodeDescription.Describe(probe.ref());
        NodeDescription.Describe back = roundTrip(describe);
        assertEquals(describe, back);
        assertEquals(probe.ref(), back.replyTo());
    }

    @Test
    void javaSerializationIsRefused() {
        NotBound message = new NotBound("would need Java serialization");
        Serializer serializer = serialization.findSerializerFor(message);
        assertInstanceOf(DisabledJavaSerializer.class, serializer);
        assertTrue(serialization.serialize(message).isFailure(), "a plain Serializable is not serialized");
    }

    private record NotBound(String text) implements Serializable {
    }

    private static <T> T roundTrip(T message) {
        return deserialize(serialize(message), message);
    }

    /** Requests and answers go as protobuf, everything else between nodes as Jackson CBOR. */
    private static byte[] serialize(Object message) {
        if (message instanceof KernelEntity.Compute || message instanceof Results) {
            assertInstanceOf(ClusterProtobufSerializer.class, serialization.findSerializerFor(message),
                    message.getClass().getName() + " is bound to the cluster's protobuf serializer");
        } else {
            assertInstanceOf(JacksonCborSerializer.class, serialization.findSerializerFor(message),
                    message.getClass().getName() + " is bound to Jackson CBOR");
        }
        return serialization.serialize(message).get();
    }

    @SuppressWarnings("unchecked")
    private static <T> T deserialize(byte[] bytes, T original) {
        Serializer serializer = serialization.findSerializerFor(original);
        String manifest = Serializers.manifestFor(serializer, original);
        Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
        assertEquals(original.getClass(), back.getClass());
        return (T) back;
    }

    /** A tensor of {@code shape} with random values, none of them zero. */
    private WireTensor tensor(int[] shape) {
        float[] values = new float[(int) Tensor.checkShape(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble(0.001, 100) * (random.nextBoolean() ? 1 : -1));
        }
        WireTensor tensor = WireTensor.of(Tensor.of(shape, values));
        assertArrayEquals(littleEndian(values), tensor.data());
        return tensor;
    }

    /** The raw bits of {@code values}, little-endian, written by hand rather than by the code under test. */
    private static byte[] littleEndian(float[] values) {
        byte[] bytes = new byte[values.length * Float.BYTES];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            for (int b = 0; b < Float.BYTES; b++) {
                bytes[i * Float.BYTES + b] = (byte) (bits >>> (8 * b));
            }
        }
        return bytes;
    }

    private static void assertContains(byte[] haystack, byte[] needle, String what) {
        assertTrue(contains(haystack, needle), "the serialized bytes hold " + what);
    }

    /** Whether {@code needle} occurs in {@code haystack} (Latin-1 maps each byte to one char and back). */
    private static boolean contains(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1));
    }
}
