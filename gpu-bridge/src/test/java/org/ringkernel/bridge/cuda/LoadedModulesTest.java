package org.ringkernel.bridge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The context's module and function maps, with strings for modules and functions: no driver needed. */
class LoadedModulesTest {

    @Test
    void aModuleIsLoadedOnceAndEachFunctionLookedUpOnce() {
        LoadedModules<String, String> loaded = new LoadedModules<>();
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertEquals("kernels:rk_square", loaded.function("kernels", "rk_square", name -> {
                calls.add("load " + name);
                return name;
            }, (module, entry) -> {
                calls.add("lookup " + entry);
                return module + ":" + entry;
            }));
        }
        assertEquals(List.of("load kernels", "lookup rk_square"), calls);
    }

    @Test
    void aResetWaitsForALookupInProgressAndThenForgetsEverything() throws Exception {
        LoadedModules<String, String> loaded = new LoadedModules<>();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch finishLoading = new CountDownLatch(1);
        Thread lookup = new Thread(() -> loaded.function("kernels", "rk_square", name -> {
            loading.countDown();
            await(finishLoading);
            return name;
        }, (module, entry) -> module + ":" + entry), "lookup");
        lookup.start();
        assertTrue(loading.await(10, TimeUnit.SECONDS));

        List<String> resets = new ArrayList<>();
        Thread reset = new Thread(() -> loaded.clear(() -> resets.add("reset")), "reset");
        reset.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reset.getState() != Thread.State.BLOCKED && reset.getState() != Thread.State.TERMINATED
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        assertEquals(Thread.State.BLOCKED, reset.getState(), "the reset waits while a module is being loaded");

        finishLoading.countDown();
        lookup.join(10_000);
        reset.join(10_000);
        assertEquals(List.of("reset"), resets);
        List<String> calls = new ArrayList<>();
        loaded.function("kernels", "rk_square", name -> {
            calls.add("load " + name);
            return name;
        }, (module, entry) -> module + ":" + entry);
        assertEquals(List.of("load kernels"), calls, "after the reset the module is loaded anew");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
