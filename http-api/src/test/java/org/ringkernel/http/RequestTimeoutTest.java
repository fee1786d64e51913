package org.ringkernel.http;

import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.TestServer.awaitTrue;

import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** 504, with JSON, when a kernel holds a request past {@code ringkernel.request-timeout}. */
class RequestTimeoutTest {
    private static final String REQUEST = "{\"inputs\":[{\"data\":[4]}]}";
    private static final Semaphore GATE = new Semaphore(0);
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  request-timeout = 300ms
                  supervision.watchdog-timeout = 60s
                }
                """);
        server.kernels().register(GatedKernel.definition("gated", GATE));
    }

    @AfterAll
    static void stopServer() {
        GATE.release(1000);
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
}
