package org.ringkernel.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.ringkernel.grpc.client.InferRequest;
import org.ringkernel.grpc.client.InferenceClient;
import org.ringkernel.grpc.client.StreamReply;
import org.ringkernel.grpc.client.Tensor;

/**
 * Load on one running server, all from this one client process so that the three measures share a client runtime:
 * square with 16 floats as (1) {@code POST /api/kernels/square/process} JSON over HTTP/1.1 and (2) gRPC
 * {@code ModelInfer}, each closed-loop with a fixed number of requests in flight, and (3) {@code ModelStreamInfer}
 * on one stream that sends as fast as the server takes requests. Each runs a warm-up, then a measured interval.
 * Prints key=value lines (and writes them to {@code --out}).
 *
 * <p>Usage: {@code GrpcLoad --http http://127.0.0.1:PORT --grpc PORT [--concurrency 32] [--warmup 10]
 * [--duration 10] [--out FILE]}
 */
public final class GrpcLoad {
    private static final float[] VALUES = {0.5f, -1.25f, 2, 3.5f, -0.75f, 1, 1.5f, -2, 0.25f, 4, -3, 2.5f, 0.125f, -1,
        3, 1.75f};
    private static final String JSON = "{\"inputs\":[{\"shape\":[16],\"data\":[0.5,-1.25,2,3.5,-0.75,1,1.5,-2,0.25,4,"
            + "-3,2.5,0.125,-1,3,1.75]}]}";
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

    private GrpcLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String http = require(options, "http");
        int grpcPort = Integer.parseInt(require(options, "grpc"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "32"));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "10")));

        ActorSystem system = ActorSystem.create("grpc-load");
        InferenceClient client = InferenceClient.connect("127.0.0.1", grpcPort, system);
        HttpClient httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest process = HttpRequest.newBuilder(URI.create(http + "/api/kernels/square/process"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON)).build();
        InferRequest square = InferRequest.of("square", Tensor.of("x", VALUES));

        Map<String, String> results = new LinkedHashMap<>();
        results.put("grpc_concurrency", String.valueOf(concurrency));
        results.put("grpc_duration_s", String.valueOf(duration.toSeconds()));
        Supplier<CompletionStage<?>> httpCall = () -> httpClient.sendAsync(process,
                HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
                    }
                    return response;
                });
        closedLoop(httpCall, concurrency, warmup);
        closedLoop(httpCall, concurrency, duration).into(results, "http_process");
        Supplier<CompletionStage<?>> grpcCall = () -> client.infer(square, CALL_DEADLINE);
        closedLoop(grpcCall, concurrency, warmup);
        closedLoop(grpcCall, concurrency, duration).into(results, "grpc_unary");
        try {
            stream(client, square, warmup, system);
            StreamRun streamed = stream(client, square, duration, system);
            results.put("grpc_stream_rps", String.format("%.1f", streamed.rps()));
            results.put("grpc_stream_refused", String.valueOf(streamed.refused()));
        } finally {
            client.close();
            system.terminate();
        }
        StringBuilder text = new StringBuilder();
        results.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        System.out.print(text);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), text);
        }
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name + " (see GrpcLoad's javadoc for the usage)");
        }
        return value;
    }

    /** Requests/s, latency percentiles and errors of one closed-loop run. */
    private record Run(double rps, double p50Us, double p99Us, long errors) {
        void into(Map<String, String> results, String prefix) {
            results.put(prefix + "_rps", String.format("%.1f", rps));
            results.put(prefix + "_p50_us", String.format("%.1f", p50Us));
            results.put(prefix + "_p99_us", String.format("%.1f", p99Us));
            results.put(prefix + "_errors", String.valueOf(errors));
        }
    }

    /** {@code concurrency} chains of calls, each starting its next call when its last one completes. */
    private static Run closedLoop(Supplier<CompletionStage<?>> call, int concurrency, Duration length)
            throws Exception {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        AtomicLong errors = new AtomicLong();
        CompletableFuture<?>[] chains = new CompletableFuture<?>[concurrency];
        for (int c = 0; c < concurrency; c++) {
            int chain = c;
            latencies[chain] = new long[1 << 16];
            CompletableFuture<Void> done = new CompletableFuture<>();
            chains[chain] = done;
            next(call, end, latencies, counts, chain, errors, done);
        }
        CompletableFuture.allOf(chains).get();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int c = 0; c < concurrency; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return new Run(all.length / seconds, percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3, errors.get());
    }

    /**
     * Starts chain {@code chain}'s next call unless the run has ended. A chain records only its own calls, one at a
     * time, each after the last completed, so its slots of {@code latencies} and {@code counts} have one writer.
     */
    private static void next(Supplier<CompletionStage<?>> call, long end, long[][] latencies, int[] counts, int chain,
            AtomicLong errors, CompletableFuture<Void> done) {
        long sent = System.nanoTime();
        if (sent - end >= 0) {
            done.complete(null);
            return;
        }
        call.get().whenComplete((value, error) -> {
            if (error != null) {
                if (errors.getAndIncrement() == 0) {
                    System.err.println("first failed call: " + error);
                }
            } else {
                if (counts[chain] == latencies[chain].length) {
                    latencies[chain] = Arrays.copyOf(latencies[chain], counts[chain] * 2);
                }
                latencies[chain][counts[chain]++] = System.nanoTime() - sent;
            }
            next(call, end, latencies, counts, chain, errors, done);
        });
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    /** Answered requests per second of one stream, and how many of its requests the server refused. */
    private record StreamRun(double rps, long refused) {
    }

    /** One stream that sends for {@code length}; every request must get one reply. */
    private static StreamRun stream(InferenceClient client, InferRequest square, Duration length, ActorSystem system)
            throws Exception {
        long start = System.nanoTime();
        AtomicLong ids = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long replies = Source.repeat(square).takeWithin(length).map(r -> r.withId(Long.toString(ids.getAndIncrement())))
                .via(client.stream())
                .runWith(Sink.fold(0L, (count, reply) -> {
                    if (reply instanceof StreamReply.Failed) {
                        refused.incrementAndGet();
                    }
                    return count + 1;
                }), system).toCompletableFuture().get();
        if (replies != ids.get()) {
            throw new IllegalStateException("sent " + ids.get() + " requests, got " + replies + " replies");
        }
        return new StreamRun((replies - refused.get()) / ((System.nanoTime() - start) / 1e9), refused.get());
    }
}
