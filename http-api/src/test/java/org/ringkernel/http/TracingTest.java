package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.typesafe.config.Config;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import kamon.Kamon;
import kamon.module.Module;
import kamon.module.SpanReporter;
import kamon.trace.Span;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.TraceParent;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Tracing through a real server: the sampler's share, W3C {@code traceparent} continued and returned, the spans
 * from the HTTP request through the kernel's actor to its batch, and the trace id in the request's log lines.
 */
class TracingTest {
    private static final double RATE = 0.25;
    private static final String BODY = "{\"inputs\":[{\"shape\":[2],\"data\":[1.5,-2]}]}";
    private static final String PROCESS = "/api/kernels/square/process";

    private static final List<Span.Finished> finished = new CopyOnWriteArrayList<>();
    private static Module.Registration reporter;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("""
                ringkernel { kernels.start = [square], telemetry.trace-sample-rate = %s }
                kamon.trace.tick-interval = 50 ms
                """.formatted(RATE));
        reporter = Kamon.addReporter("tracing-test", new SpanReporter() {
            @Override
            public void reportSpans(scala.collection.immutable.Seq<Span.Finished> spans) {
                finished.addAll(CollectionConverters.asJava(spans));
            }

            @Override
            public void stop() {
            }

            @Override
            public void reconfigure(Config config) {
            }
        });
    }

    @AfterAll
    static void stop() {
        reporter.cancel();
        server.close();
    }

    /**
     * Each new trace is sampled with probability {@value #RATE}, so the sampled count of n requests is binomial:
     * it must lie within 4 standard deviations of n × rate (a false failure about once in 16,000 runs).
     */
    @Test
    void theSamplerKeepsTheConfiguredShareOfTraces() {
        int n = 2000;
        int sampled = 0;
        Set<String> traceIds = new HashSet<>();
        for (int i = 0; i < n; i++) {
            TraceParent returned = traceParent(process(null));
            traceIds.add(returned.traceId());
            if (returned.sampled()) {
                sampled++;
            }
        }
        double sigma = Math.sqrt(n * RATE * (1 - RATE));
        assertTrue(Math.abs(sampled - n * RATE) <= 4 * sigma, sampled + " of " + n + " sampled, expected "
                + n * RATE + " ± " + 4 * sigma);
        assertEquals(n, traceIds.size(), "every request without a traceparent starts a trace of its own");
    }

    @Test
    void anIncomingSampledTraceIsContinuedThroughTheKernelToItsBatch() {
        String traceId = TraceParent.newTraceId();
        String callerSpan = TraceParent.newSpanId();
        TraceParent returned = traceParent(process(new TraceParent(traceId, callerSpan, true).header()));
        assertEquals(traceId, returned.traceId(), "the trace goes on");
        assertTrue(returned.sampled(), "the caller sampled it");
        assertNotEquals(callerSpan, returned.spanId(), "the response names the server's own span");

        Span.Finished serverSpan = awaitSpan(s -> s.id().string().equals(returned.spanId()), "the server span");
        assertEquals(traceId, serverSpan.trace().id().string());
        assertEquals(callerSpan, serverSpan.parentId().string(), "the caller's span is the server span's parent");
        assertEquals("/api/kernels/{id}/process", serverSpan.operationName());

        Span.Finished kernelSpan = awaitSpan(s -> s.parentId().string().equals(returned.spanId()), "the kernel's span");
        assertEquals("kernel.request", kernelSpan.operationName());
        assertEquals(traceId, kernelSpan.trace().id().string());
        assertEquals("square", kernelSpan.tags().get(kamon.tag.Lookups.plain("kernel")));
        assertTrue(CollectionConverters.asJava(kernelSpan.marks()).stream().anyMatch(m -> m.key().equals("published")),
                "the kernel's span marks when the request entered the ring");

        Span.Finished batch = awaitSpan(s -> s.operationName().equals("kernel.batch") && linksTo(s, kernelSpan),
                "the batch span that carried the request");
        assertNotEquals(traceId, batch.trace().id().string(), "a batch is a trace of its own, linked to its requests");
    }

    @Test
    void aBatchLinksEveryTracedRequestItCarried() {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            sent.add(server.client().sendAsync(server.request(PROCESS).header("Content-Type", "application/json")
                    .header(TraceParent.HEADER, new TraceParent(TraceParent.newTraceId(), TraceParent.newSpanId(),
                            true).header()).POST(java.net.http.HttpRequest.BodyPublishers.ofString(BODY)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> serverSpans = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            HttpResponse<String> answered = response.join();
            assertEquals(200, answered.statusCode(), answered.body());
            serverSpans.add(traceParent(answered).spanId());
        }
        for (String serverSpan : serverSpans) {
            Span.Finished kernelSpan = awaitSpan(s -> s.parentId().string().equals(serverSpan), "a kernel span");
            Span.Finished batch = awaitSpan(s -> s.operationName().equals("kernel.batch") && linksTo(s, kernelSpan),
                    "the batch of " + kernelSpan.id().string());
            long size = batch.tags().get(kamon.tag.Lookups.plainLong("batch.size"));
            assertTrue(CollectionConverters.asJava(batch.links()).size() <= size,
                    "a batch links no more requests than it carried");
        }
    }

    @Test
    void anUnsampledCallerIsFollowedAndABadTraceparentStartsANewTrace() {
        String traceId = TraceParent.newTraceId();
        TraceParent unsampled = traceParent(process(new TraceParent(traceId, TraceParent.newSpanId(), false).header()));
        assertEquals(traceId, unsampled.traceId());
        assertFalse(unsampled.sampled(), "the caller's decision not to sample holds");

        HttpResponse<String> bad = process("00-" + traceId + "-0000000000000000-01");
        assertEquals(200, bad.statusCode(), "a malformed traceparent never fails the request");
        assertNotEquals(traceId, traceParent(bad).traceId(), "a malformed traceparent starts a new trace");
    }

    @Test
    void everyLogLineOfARequestCarriesItsTraceId() {
        try (LogCapture logs = LogCapture.attach()) {
            // A body said to be gzip that is not: the server logs a warning about it, then the access line.
            HttpResponse<String> response = server.send(server.request(PROCESS)
                    .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                    .header(RequestLogging.HEADER, "trace-log-test")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(BODY)));
            assertEquals(400, response.statusCode(), response.body());
            String traceId = traceParent(response).traceId();
            List<ILoggingEvent> lines = logs.events().stream()
                    .filter(e -> "trace-log-test".equals(e.getMDCPropertyMap().get("request_id"))).toList();
            assertEquals(2, lines.size(), "the warning and the access line: " + lines);
            for (ILoggingEvent line : lines) {
                assertEquals(traceId, line.getMDCPropertyMap().get("trace_id"), LogCapture.describe(line));
            }
        }
    }

    @Test
    void theAccessLineNamesTheMethodPathStatusAndMillisecondsWithTwoDecimals() {
        try (LogCapture logs = LogCapture.attach()) {
            HttpResponse<String> response = server.send(server.request(PROCESS)
                    .header("Content-Type", "application/json").header(RequestLogging.HEADER, "access-line-test")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(BODY)));
            assertEquals(200, response.statusCode(), response.body());
            List<String> lines = logs.events().stream()
                    .filter(e -> "access-line-test".equals(e.getMDCPropertyMap().get("request_id")))
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).matches("POST " + PROCESS + " 200 [0-9]+\\.[0-9]{2} ms"), lines.get(0));
        }
        var request = org.apache.pekko.http.javadsl.model.HttpRequest.GET("/health");
        assertEquals("GET /health 200 0.00 ms", RequestLogging.line(request, 200, 4_999));
        assertEquals("GET /health 200 0.05 ms", RequestLogging.line(request, 200, 50_000));
        assertEquals("GET /health 503 1.25 ms", RequestLogging.line(request, 503, 1_250_000));
        assertEquals("GET /health 200 12.00 ms", RequestLogging.line(request, 200, 11_999_999));
        assertEquals("GET /health 200 1234.57 ms", RequestLogging.line(request, 200, 1_234_567_890));
    }

    private static HttpResponse<String> process(String traceparent) {
        var request = server.request(PROCESS).header("Content-Type", "application/json");
        if (traceparent != null) {
            request.header(TraceParent.HEADER, traceparent);
        }
        HttpResponse<String> response = server.send(request.POST(java.net.http.HttpRequest.BodyPublishers.ofString(BODY)));
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    private static TraceParent traceParent(HttpResponse<String> response) {
        String header = response.headers().firstValue(TraceParent.HEADER)
                .orElseThrow(() -> new AssertionError("no traceparent in the response"));
        return TraceParent.parse(header).orElseThrow(() -> new AssertionError("not a traceparent: " + header));
    }

    private static boolean linksTo(Span.Finished batch, Span.Finished request) {
        return CollectionConverters.asJava(batch.links()).stream()
                .anyMatch(l -> l.spanId().string().equals(request.id().string())
                        && l.trace().id().string().equals(request.trace().id().string()));
    }

    private static Span.Finished awaitSpan(java.util.function.Predicate<Span.Finished> which, String what) {
        TestServer.awaitTrue(() -> finished.stream().anyMatch(which), what + " is reported");
        return finished.stream().filter(which).findFirst().orElseThrow();
    }
}
