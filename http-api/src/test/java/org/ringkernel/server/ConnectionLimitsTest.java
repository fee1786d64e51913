package org.ringkernel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringkernel.http.RawConnection;
import org.ringkernel.http.TestServer;

/**
 * What one client may cost the server: connections that send their request head slowly or not at all are
 * closed, the number of connections is bounded, and the probes stay answerable on the management port while
 * the main port is full.
 */
class ConnectionLimitsTest {
    /** The start of a request head that a slow client never finishes. */
    private static final String PARTIAL_HEAD = "GET /health HTTP/1.1\r\nHost: test\r\nX-Slow: ";

    @Test
    void connectionsThatDoNotCompleteTheirRequestHeadInTimeAreClosed() {
        try (TestServer server = TestServer.start("""
                ringkernel.http { request-head-timeout = 1s, max-connections = 4 }
                """)) {
            List<RawConnection> slow = slowClients(server, 4);
            for (RawConnection client : slow) {
                assertTrue(client.closedByServer(), "a connection without a complete request head is closed");
                client.close();
            }
            try (RawConnection fresh = RawConnection.open(server)) {
                assertEquals(200, fresh.get("/health").read().status(), "the server answers once they are gone");
            }
        }
    }

    @Test
    void theProbesAnswerOnTheManagementPortWhileEveryMainConnectionIsTaken() {
        try (TestServer server = TestServer.start("""
                ringkernel.http { request-head-timeout = 60s, max-connections = 2 }
                """)) {
            List<RawConnection> slow = slowClients(server, 2);
            try (RawConnection waiting = RawConnection.open(server)) {
                waiting.get("/health");
                assertTrue(waiting.silentFor(Duration.ofSeconds(1)),
                        "a connection beyond ringkernel.http.max-connections waits for a free one");

                String probes = server.running().managementUrl().orElseThrow();
                assertEquals(200, server.send(server.request("/health").uri(URI.create(probes + "/health")).GET())
                        .statusCode());
                assertEquals(200, server.send(server.request("/ready").uri(URI.create(probes + "/ready")).GET())
                        .statusCode());

                slow.get(0).close();
                assertEquals(200, waiting.read().status(), "the waiting connection is served once one closes");
            }
            slow.forEach(RawConnection::close);
        }
    }

    @Test
    void aConnectionLeftIdleAfterItsResponseIsClosedAfterTheKeepAliveTimeout() {
        try (TestServer server = TestServer.start("ringkernel.http.keep-alive-timeout = 1s");
             RawConnection client = RawConnection.open(server)) {
            assertEquals(200, client.get("/health").read().status());
            assertTrue(client.closedByServer(), "the idle connection is closed");
        }
    }

    @Test
    void theManagementPortServesOnlyTheProbes() {
        try (TestServer server = TestServer.start("")) {
            String probes = server.running().managementUrl().orElseThrow();
            assertEquals(404, server.send(server.request("/").uri(URI.create(probes + "/api/kernels")).GET())
                    .statusCode());
        }
    }

    private static List<RawConnection> slowClients(TestServer server, int count) {
        List<RawConnection> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(RawConnection.open(server).send(PARTIAL_HEAD));
        }
        return clients;
    }
}
