package org.ringkernel.http.arrow;

import static org.ringkernel.http.ApiAssertions.assertError;

import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.http.GatedKernel;
import org.ringkernel.http.TestServer;
import org.ringkernel.http.arrow.ArrowStreams.Column;

/**
 * What the kernels say of an Arrow request is answered as for the other formats, also where it comes wrapped in
 * the error of a column: a value the kernel refuses is its 400, a kernel that does not answer in time a 504.
 */
class ArrowKernelErrorsTest {
    /** Never opened while the tests run: the kernel {@code held} keeps every request. */
    private static final Semaphore HELD = new Semaphore(0);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  request-timeout = 300ms
                  supervision.watchdog-timeout = 60s
                }
                """);
        server.kernels().register(GatedKernel.definition("held", HELD));
    }

    @AfterAll
    static void stop() {
        HELD.release(1000);
        server.close();
    }

    /**
     * square is element-wise: the request of the chunk holding the NaN fails, and the column's error names the
     * chunk's rows and carries the kernel's message.
     */
    @Test
    void aValueTheKernelRefusesIsItsError() {
        float[] x = new float[300_000];
        Arrays.fill(x, 1f);
        x[x.length - 1] = Float.NaN;
        assertError(server.send(request("square", ArrowStreams.write(Column.float32("x", x)))), 400,
                "invalid_input", "kernel 'square' over rows ", " to 299999 of column 'x' failed: ",
                "kernel 'square', input 'x': element ", " is NaN");
    }

    @Test
    void aParamTheKernelDoesNotTakeIsItsError() {
        assertError(server.send(request("square?beta=2", ArrowStreams.write(Column.float32("x", 1f)))), 400,
                "invalid_input", "beta");
    }

    @Test
    void aKernelThatHoldsTheRequestPastTheDeadlineIs504() {
        assertError(server.send(request("held", ArrowStreams.write(Column.float32("x", 1f, 2f)))), 504, "timeout");
    }

    private static HttpRequest.Builder request(String kernelAndQuery, byte[] body) {
        String path = kernelAndQuery.contains("?") ? kernelAndQuery.replace("?", "/process?") : kernelAndQuery
                + "/process";
        return server.request("/api/kernels/" + path).header("Content-Type", ArrowStreamFormat.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
}
