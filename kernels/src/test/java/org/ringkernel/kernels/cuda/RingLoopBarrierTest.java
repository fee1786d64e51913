package org.ringkernel.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The ring loop's shared verdict, read from the source (a race between warps shows only on a device): warp 0
 * writes it for each request a block takes, so every thread must be done reading it before any thread may leave
 * for the next request, also on the early returns of a corrupt or host-launched record.
 */
class RingLoopBarrierTest {
    private static final Path RING_LOOP = Path.of("src/main/cuda/include/ringkernel/ring_loop.cuh");

    @Test
    void noThreadLeavesARequestBeforeEveryThreadHasReadItsVerdict() throws Exception {
        String source = Files.readString(RING_LOOP);
        int start = source.indexOf("__device__ inline bool run_request(");
        assertTrue(start >= 0, "run_request is in " + RING_LOOP);
        String body = source.substring(start, source.indexOf("\n}\n", start));
        int written = body.indexOf("verdict = judge");
        assertTrue(written >= 0, "warp 0 writes the shared verdict in run_request");

        int published = body.indexOf("__syncthreads();", written);
        int read = body.indexOf("__syncthreads();", published + 1);
        int firstReturn = body.indexOf("return ", written);
        assertTrue(published >= 0 && read >= 0 && read < firstReturn, "a second barrier, after every thread has "
                + "read the verdict, comes before the first return:\n" + body);
        assertFalse(body.substring(read).contains("verdict."), "after that barrier only each thread's copy of the "
                + "verdict is read, never the shared one:\n" + body);
    }
}
