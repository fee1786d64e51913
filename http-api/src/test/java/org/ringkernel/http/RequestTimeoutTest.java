package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.ApiAssertions.assertErrorBody;
import static org.ringkernel.http.TestServer.awaitTrue;

import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 504, with JSON, when a request is not answered within {@code ringkernel.request-timeout}, counted from when the
 * server has the request's head, not from when the kernel takes it.
 */
class RequestTimeoutTest {
    private static final String REQUEST = "{\"inputs\":[{\"data\":[4]}]}";
    /** Lets the kernel {@code gated} finish, once a test says so. */
    private static final Semaphore GATE = new Semaphore(0);
    /** Never opened while the tests run: the kernel {@code held} keeps every request. */
    private static final Semaphore HELD = new Semaphore(0);
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  request-timeout = 300ms
                  supervision.watchdog-timeout = 60s
                }
                """);
        server.kernels().register(GatedKernel.definition("gated", GATE));
        server.kernels().register(GatedKernel.definition("held", HELD));
    }

    @AfterAll
    static void stopServer() {
        GATE.release(1000);
        HELD.release(1000);
        server.close();
    }

    @Test
    void aRequestTheKernelHoldsPastTheDeadlineIs504() {
        // The kernel's deadline or the route's own, whichever answers first on a busy machine.
        assertError(server.postJson("/api/kernels/gated/process", REQUEST), 504, "timeout", "no result within ");

        // A 300 ms deadline may also catch a request on a busy machine, so the kernel need only answer again
        // eventually once it is let through.
        GATE.release(1000);
        awaitTrue(() -> server.postJson("/api/kernels/gated/process", REQUEST).statusCode() == 200,
                "the kernel answers again once it is let through");
    }

    @Test
    void timeSpentBeforeTheKernelCountsAgainstTheDeadline() {
        try (RawConnection connection = RawConnection.open(server)) {
            connection.send("POST /api/kernels/square/process HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + REQUEST.length()
                    + "\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, connection.readHead().status());

            // The route has the request. A request sent now to a kernel that never finishes is answered 504 once
            // its own deadline has passed, and so the first request's deadline has passed too.
            assertError(server.postJson("/api/kernels/held/process", REQUEST), 504, "timeout");

            RawConnection.Response late = connection.send(REQUEST).read();
            assertEquals(504, late.status());
            assertEquals("application/json", late.header("content-type").orElse(""));
            assertErrorBody(late.body(), "timeout", "no result within ringkernel.request-timeout (300 ms)",
                    "before it reached the kernel");
        }
    }
}
