package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertError;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP limit on one input agrees with the kernels' arena: with a 64 KiB arena and inputs of at most 8,192
 * elements (32 KiB, as much again for the output), {@code square} takes an input at the limit; {@code add}, whose
 * two inputs and output need more arena than there is, is refused with a message naming the setting to raise.
 */
class ArenaLimitTest {
    private static final int LIMIT = 8192;
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square, add]
                  kernel.arena-size = 64 KiB
                  http.max-elements-per-input = %d
                }
                """.formatted(LIMIT));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static String input(int elements) {
        return "{\"shape\":[" + elements + "],\"data\":[" + Arrays.stream(new int[elements]).mapToObj(i -> "2")
                .collect(Collectors.joining(",")) + "]}";
    }

    @Test
    void anInputAtTheHttpLimitFitsTheArena() {
        assertEquals(200, server.postJson("/api/kernels/square/process", "{\"inputs\":[" + input(LIMIT) + "]}")
                .statusCode());
    }

    @Test
    void aRequestTooLargeForTheArenaNamesTheSettingToRaise() {
        assertError(server.postJson("/api/kernels/add/process", "{\"inputs\":[" + input(LIMIT) + "," + input(LIMIT) + "]}"),
                400, "invalid_input", "kernel 'add': the request needs 98304 bytes of arena",
                "raise ringkernel.kernel.arena-size");
    }
}
