package org.ringkernel.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The leader's wait for worker blocks, read from the source (a stuck block shows only on a device): block 0 beats
 * while it waits, so an unbounded wait would make a stuck worker look alive for ever. The wait gives up after the
 * control block's worker stall limit and the kernel reports FAILED with WORKER_STALLED.
 */
class RingLoopStallBoundTest {
    private static final Path RING_LOOP = Path.of("src/main/cuda/include/ringkernel/ring_loop.cuh");

    @Test
    void theLeadersWaitForWorkerAcksGivesUpAfterTheWorkerStallLimitAndReportsWorkerStalled() throws Exception {
        String source = Files.readString(RING_LOOP);
        String wait = function(source, "__device__ inline bool await_acks(");
        assertTrue(wait.contains("beat(leader, p, false);"), "the leader beats while it waits:\n" + wait);
        assertTrue(wait.contains("leader.stall_limit > 0 && global_nanos() - started > "), "the wait is bounded by "
                + "the worker stall limit, measured on the global timer:\n" + wait);
        assertTrue(wait.contains("leader.failure = RK_ERROR_WORKER_STALLED;") && wait.contains("return false;"),
                "past the limit the wait reports a stalled worker:\n" + wait);

        String finish = function(source, "__device__ inline void leader_finish(");
        assertTrue(finish.contains("if (!await_acks(leader, p)) {\n        publish_failure(p, leader.failure, "
                + "leader.failure_detail);"), "a given-up wait publishes FAILED at once:\n" + finish);

        String start = function(source, "__device__ inline void leader_start(");
        assertTrue(start.contains("RK_CB_WORKER_STALL_LIMIT_OFFSET"), "the limit comes from the control block:\n"
                + start);
    }

    private static String function(String source, String signature) {
        int start = source.indexOf(signature);
        assertTrue(start >= 0, signature + " is in " + RING_LOOP);
        return source.substring(start, source.indexOf("\n}\n", start));
    }
}
