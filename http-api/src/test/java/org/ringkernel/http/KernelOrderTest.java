package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ringkernel.actors.KernelInfo;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/**
 * Kernels are listed in one order everywhere, by id: {@code /api/kernels}, {@code /api/status} (which the status
 * page shows as it comes), the kernel directory, and the errors that name the kernels there are. The shared
 * server starts its kernels in another order, so a listing that kept theirs would show it.
 */
@ExtendWith(SharedServer.class)
class KernelOrderTest {
    private static TestServer server;

    @BeforeAll
    static void startServer(TestServer shared) {
        server = shared;
    }

    @Test
    void theListingsAgreeAndGoById() {
        List<String> started = Arrays.stream(SharedServer.KERNELS.split(",")).map(String::strip).sorted().toList();

        assertEquals(started, ids(TestServer.json(server.get("/api/kernels")).get("kernels")));
        assertEquals(started, ids(TestServer.json(server.get("/api/status")).get("kernels")));
        assertEquals(started, server.kernels().kernels().stream().map(KernelInfo::id).toList());
    }

    @Test
    void anUnknownKernelIsAnsweredWithEveryKernelById() {
        List<String> known = BuiltinKernels.ids().stream().sorted().toList();
        assertError(server.get("/api/kernels/cube"), 404, "unknown_kernel",
                "no kernel 'cube'; the kernels are " + String.join(", ", known));
    }

    private static List<String> ids(JsonNode kernels) {
        List<String> ids = new ArrayList<>();
        kernels.forEach(kernel -> ids.add(kernel.get("id").asText()));
        return ids;
    }
}
