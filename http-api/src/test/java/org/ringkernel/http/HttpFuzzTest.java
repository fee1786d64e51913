package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertNoStackTrace;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * 10,000 random requests against a real server: random methods and paths among the API's, random headers
 * (content types, content codings, shapes, ids, tokens), bodies that are random bytes or valid requests with
 * random mutations, and a share of hand-framed requests with broken chunking on raw sockets. No answer may be a
 * 5xx (503 and 504, which the contract gives to overload and timeouts, are counted and reported, and none are
 * expected at this load), no body may show a stack trace, the log may hold no ERROR and no stack trace, and the
 * server must be healthy afterwards. The seed is printed; {@code -Dringkernel.fuzz.seed=N} replays a run.
 */
class HttpFuzzTest {
    private static final int INPUTS = 10_000;
    private static final int RAW_EVERY = 20;
    private static final int IN_FLIGHT = 8;
    private static final String[] KERNELS = {"echo", "square", "saxpy", "nope"};
    private static final String[] VALID = {
        "{\"inputs\":[{\"shape\":[3],\"data\":[1,2.5,-3]}]}",
        "{\"inputs\":[{\"data\":[1,2]},{\"data\":[3,4]}],\"params\":{\"alpha\":2}}",
        "{\"inputs\":[{\"shape\":[2,2],\"data\":[1,2,3,4]}],\"params\":{}}",
        "{\"mode\":\"opportunistic\",\"max_batch_size\":8,\"max_delay_us\":100}",
    };
    private static final String JSON_BITS = "{}[],:\"0123456789-+.eE tfn\\";

    @Test
    void tenThousandRandomRequestsGetNo5xxNoStackTraceAndNoErrorLog() throws Exception {
        long seed = Long.getLong("ringkernel.fuzz.seed", System.nanoTime());
        System.out.println("HttpFuzzTest seed " + seed + " (replay with -Dringkernel.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        // Ten thousand access lines would cost more than the requests; 5xx access lines are warnings and still show.
        ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
                "org.ringkernel.http.access");
        Level accessLevel = access.getLevel();
        access.setLevel(Level.WARN);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (TestServer server = TestServer.start("""
                ringkernel {
                  kernels.start = [echo, square, saxpy]
                  http { max-request-bytes = 64 KiB, max-line-bytes = 8 KiB, body-timeout = 5s, admin-token = "t" }
                }
                """); LogCapture logs = LogCapture.attach()) {
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (int i = 0; i < INPUTS; i++) {
                if (i % RAW_EVERY == 0) {
                    rawFraming(server, random, statuses, failures);
                    continue;
                }
                HttpRequest request = randomRequest(server, random);
                inFlight.acquire();
                pending.add(server.client().sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .handle((response, failure) -> {
                            inFlight.release();
                            if (failure != null) {
                                failures.add(request.method() + " " + request.uri() + ": " + failure);
                            } else {
                                check(request.method() + " " + request.uri() + " " + request.headers().map(),
                                        response.statusCode(), response.body(), statuses, failures);
                            }
                            return null;
                        }));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(TestServer.WAIT.toSeconds() * 3, TimeUnit.SECONDS);
            System.out.println("HttpFuzzTest statuses " + new TreeMap<>(statuses));
            assertEquals(List.of(), failures.stream().limit(20).toList(), "seed " + seed);
            assertEquals(200, server.get("/health").statusCode());
            assertEquals(200, server.postJson("/api/kernels/square/process", VALID[0]).statusCode());
            assertEquals(List.of(), logs.errorsAndThrowables().stream().limit(20).toList(), "seed " + seed);
        } finally {
            access.setLevel(accessLevel);
        }
    }

    private static void check(String what, int status, String body, Map<Integer, AtomicInteger> statuses,
                              List<String> failures) {
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        if (status >= 500 && status != 503 && status != 504) {
            failures.add(what + " -> " + status + " " + body);
        }
        try {
            assertNoStackTrace(body);
        } catch (AssertionError e) {
            failures.add(what + " -> a stack trace: " + body);
        }
    }

    private static HttpRequest randomRequest(TestServer server, Random random) {
        String kernel = pick(random, KERNELS);
        String path = switch (random.nextInt(9)) {
            case 0 -> "/health";
            case 1 -> "/ready";
            case 2 -> "/api/kernels";
            case 3 -> "/api/kernels/" + kernel;
            case 4 -> "/api/kernels/" + kernel + "/stream";
            case 5 -> "/admin/kernels/" + kernel + "/batching";
            case 6 -> "/" + randomToken(random);
            default -> "/api/kernels/" + kernel + "/process";
        };
        String query = switch (random.nextInt(6)) {
            case 0 -> "?shape=" + pick(random, "3", "2,2", "1;1", "2;2", "+1", "1;", "0x2", "%D9%A1", "", "99999999999")
                    + (random.nextBoolean() ? "" : "&alpha=" + pick(random, "2", "0x1p3", "NaN", "1e999", "-0.5", "%20"));
            case 1 -> "?" + randomToken(random) + "=" + randomToken(random);
            default -> "";
        };
        // Mostly the method the path takes, so that most inputs reach the routes' parsing rather than a 405.
        String method = random.nextInt(5) == 0 ? pick(random, "GET", "POST", "PUT", "DELETE", "PATCH")
                : path.startsWith("/admin") ? "PUT" : path.endsWith("/process") || path.endsWith("/stream") ? "POST" : "GET";
        byte[] body = randomBody(random);
        HttpRequest.Builder request = server.request(path + query)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (random.nextInt(4) > 0) {
            request.header("Content-Type", pick(random, "application/json", "application/json",
                    "application/octet-stream", "application/x-ndjson", "text/plain", "application/json; charset=latin1",
                    "nonsense", "application/"));
        }
        if (random.nextInt(5) == 0) {
            request.header("Content-Encoding", pick(random, "gzip", "deflate", "identity", "br", "gzip, gzip", "x"));
        }
        if (random.nextInt(5) == 0) {
            request.header("X-Shape", pick(random, "3", "1;", "+1", "2,2", "a", "1,,1", ";", "3;3"));
        }
        if (random.nextInt(5) == 0) {
            request.header("Accept", pick(random, "application/octet-stream", "*/*", "text/html", ""));
        }
        if (random.nextInt(5) == 0) {
            request.header("X-Request-Id", randomToken(random));
        }
        if (random.nextInt(4) == 0) {
            request.header("Authorization", pick(random, "Bearer t", "Bearer x", "Basic t", "Bearer"));
        }
        return request.build();
    }

    private static byte[] randomBody(Random random) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return new byte[0];
        }
        if (kind <= 2) {
            byte[] bytes = new byte[random.nextInt(512)];
            random.nextBytes(bytes);
            return bytes;
        }
        StringBuilder json = new StringBuilder(pick(random, VALID));
        if (kind == 3) {
            json.append('\n').append(pick(random, VALID));
        }
        for (int m = random.nextInt(4); m > 0 && json.length() > 0; m--) {
            int at = random.nextInt(json.length());
            switch (random.nextInt(5)) {
                case 0 -> json.deleteCharAt(at);
                case 1 -> json.insert(at, JSON_BITS.charAt(random.nextInt(JSON_BITS.length())));
                case 2 -> json.insert(at, json.substring(at, Math.min(json.length(), at + random.nextInt(12))));
                case 3 -> json.setCharAt(at, (char) random.nextInt(0x3000));
                default -> json.insert(at, pick(random, "1e39", "-0", "99999999999999999999", "null", "\"x\"", "[]"));
            }
        }
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        return kind == 4 ? StrictParsingTest.gzip(bytes) : bytes;
    }

    /** A request with hand-made chunked framing, often broken, sent whole on its own connection. */
    private static void rawFraming(TestServer server, Random random, Map<Integer, AtomicInteger> statuses,
                                   List<String> failures) throws IOException {
        StringBuilder body = new StringBuilder();
        for (int c = random.nextInt(4); c >= 0; c--) {
            String data = pick(random, VALID).substring(0, random.nextInt(20));
            String size = switch (random.nextInt(6)) {
                case 0 -> "zz";
                case 1 -> "7fffffffffffffff";
                case 2 -> Integer.toHexString(data.length() + random.nextInt(3) - 1);
                case 3 -> "-1";
                default -> Integer.toHexString(data.length());
            };
            body.append(size).append(random.nextBoolean() ? "\r\n" : "\n").append(data).append("\r\n");
        }
        if (random.nextBoolean()) {
            body.append("0\r\n\r\n");
        }
        String request = "POST /api/kernels/" + pick(random, KERNELS) + pick(random, "/process", "/stream")
                + " HTTP/1.1\r\nHost: fuzz\r\nContent-Type: " + pick(random, "application/json", "application/x-ndjson")
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
        try (Socket socket = new Socket()) {
            socket.setSoTimeout((int) TestServer.WAIT.toMillis());
            socket.connect(new InetSocketAddress("127.0.0.1", server.uri("/").getPort()));
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput();
            String answer = readAll(socket.getInputStream());
            if (answer.startsWith("HTTP/1.1 ")) {
                check("raw " + request.replace("\r\n", "|"), Integer.parseInt(answer.substring(9, 12)), answer,
                        statuses, failures);
            }
        }
    }

    /** What the server sent before it closed the connection; a reset ends it as well (the answer may be lost). */
    private static String readAll(InputStream in) {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException reset) {
            return text.toString();
        }
        return text.toString();
    }

    private static String randomToken(Random random) {
        StringBuilder token = new StringBuilder();
        for (int i = random.nextInt(12); i >= 0; i--) {
            token.append((char) ('a' + random.nextInt(26)));
        }
        return token.toString();
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
