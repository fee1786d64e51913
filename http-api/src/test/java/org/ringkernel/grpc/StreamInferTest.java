package org.ringkernel.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.grpc.GrpcClients.await;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.inKernel;

import ch.qos.logback.classic.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.grpc.inference.ModelInferRequest;
import org.ringkernel.grpc.inference.ModelStreamInferResponse;
import org.ringkernel.http.GatedKernel;
import org.ringkernel.http.LogCapture;
import org.ringkernel.http.TestServer;

/**
 * {@code ModelStreamInfer} over a real port: every request answered once with its id under a slow reader, errors
 * answered in the stream as it goes on, and a client that cancels frees the kernel's ring.
 */
class StreamInferTest {
    private static final int REQUESTS = 50_000;
    private static final Duration LONG_RUN = Duration.ofMinutes(3);
    private static final Semaphore GATE = new Semaphore(0);
    private static TestServer server;
    private static GrpcClients clients;
    private static KernelRef gated;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  queue-capacity = 64
                  kernel.max-batch-size = 64
                  batching.max-batch-size = 64
                  supervision.watchdog-timeout = 60s
                }
                """);
        gated = server.kernels().register(GatedKernel.definition("gated", GATE));
        clients = new GrpcClients(server);
        awaitTrue(() -> server.kernels().readiness().ready(), "the kernels are active");
    }

    @AfterAll
    static void stopServer() {
        GATE.release(100_000);
        clients.close();
        server.close();
    }

    private static ModelInferRequest square(int i) {
        return InferenceServiceTest.square("r" + i, i);
    }

    @Test
    void fiftyThousandRequestsWithASlowReaderAreEachAnsweredOnceWithTheirId() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
                0, 10, TimeUnit.MILLISECONDS);
        BitSet answered;
        try {
            // The reader takes at most 20,000 responses a second, slower than the kernel answers.
            CompletionStage<BitSet> run = clients.inference().modelStreamInfer(Source.range(0, REQUESTS - 1)
                            .map(StreamInferTest::square))
                    .throttle(2000, Duration.ofMillis(100))
                    .runFold(new BitSet(REQUESTS), StreamInferTest::record, clients.system());
            answered = run.toCompletableFuture().get(LONG_RUN.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            sampler.shutdownNow();
        }
        assertEquals(REQUESTS, answered.cardinality(), "every request answered");
        System.out.printf("ModelStreamInfer: %d requests under a reader of 20,000 responses/s; heap used peaked at "
                + "%.1f MiB (server and client share this JVM, max %.0f MiB)%n", REQUESTS, peak.get() / 1048576.0,
                memory.getHeapMemoryUsage().getMax() / 1048576.0);
        awaitTrue(() -> inKernel(server.kernels().kernel("square")) == 0, "the ring is empty");
    }

    /** Checks one response against its request (by id) and marks it answered; a second answer fails. */
    private static BitSet record(BitSet answered, ModelStreamInferResponse response) {
        assertEquals("", response.getErrorMessage(), response.toString());
        String id = response.getInferResponse().getId();
        assertTrue(id.startsWith("r"), id);
        int i = Integer.parseInt(id.substring(1));
        assertTrue(!answered.get(i), "answered twice: " + id);
        float expected = (float) i * (float) i;
        assertEquals(expected, response.getInferResponse().getOutputs(0).getContents().getFp32Contents(0), id);
        answered.set(i);
        return answered;
    }

    @Test
    void aFailedRequestIsAnsweredWithItsErrorAndTheStreamGoesOn() {
        List<ModelInferRequest> requests = List.of(square(1),
                square(2).toBuilder().setModelName("nope").setId("unknown").build(),
                ModelInferRequest.newBuilder().setModelName("square").setId("short")
                        .addInputs(InferenceServiceTest.input("x", List.of(3L), 1, 2)).build(),
                square(3));
        List<ModelStreamInferResponse> responses = await(clients.inference().modelStreamInfer(Source.from(requests))
                .runWith(Sink.seq(), clients.system()));
        Map<String, ModelStreamInferResponse> byId = responses.stream()
                .collect(Collectors.toMap(r -> r.getInferResponse().getId(), Function.identity()));
        assertEquals(4, byId.size(), responses.toString());
        assertEquals(1f, byId.get("r1").getInferResponse().getOutputs(0).getContents().getFp32Contents(0));
        assertEquals(9f, byId.get("r3").getInferResponse().getOutputs(0).getContents().getFp32Contents(0));
        assertTrue(byId.get("unknown").getErrorMessage().startsWith("NOT_FOUND: "), byId.get("unknown").toString());
        assertTrue(byId.get("unknown").getErrorMessage().contains("nope"), byId.get("unknown").toString());
        assertTrue(byId.get("short").getErrorMessage().startsWith("INVALID_ARGUMENT: input 'x' has shape [3]"),
                byId.get("short").toString());
    }

    @Test
    void aClientThatCancelsFreesTheRing() {
        Source<ModelInferRequest, NotUsed> endless = Source.iterate(0, i -> i + 1)
                .map(i -> ModelInferRequest.newBuilder().setModelName("gated").setId("g" + i)
                        .addInputs(InferenceServiceTest.input("x", List.of(1L), i)).build())
                .mapMaterializedValue(m -> NotUsed.getInstance());
        try (LogCapture log = LogCapture.attach()) {
            Pair<UniqueKillSwitch, CompletionStage<Done>> call = clients.inference().modelStreamInfer(endless)
                    .viaMat(KillSwitches.single(), Keep.right()).toMat(Sink.ignore(), Keep.both())
                    .run(clients.system());
            awaitTrue(() -> inKernel(gated) == gated.capacity(), "the stream fills the gated kernel's ring");
            long receivedAtCancel = received();

            call.first().shutdown();
            await(call.second());
            // The server learns of the cancellation from the client's RST_STREAM; until then it may still take
            // requests the client had sent.
            awaitTrue(() -> !log.find(Level.WARN, "was closed by peer with code CANCEL").isEmpty(),
                    "the server saw the client cancel the call");
            GATE.release(100_000);

            awaitTrue(() -> inKernel(gated) == 0, "the requests in the ring finish and free it");
            assertEquals(receivedAtCancel, received(), "the cancelled stream sent the kernel nothing more");
        }
    }

    private static long received() {
        return gated.info().instances().stream().mapToLong(instance -> instance.counters().received()).sum();
    }
}
