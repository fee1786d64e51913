package org.ringkernel.bridge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.InputCheck;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.testkit.TestKernels;

/**
 * The check of host-resident inputs, cut into chunks that the common pool and the producer share: it names the
 * first input holding a value the kernel does not take, whichever thread finds which, and the producer finishes
 * it alone when the pool is busy.
 */
class HostInputCheckTest {
    /** The check of a kernel that takes finite values only. */
    private static final InputCheck FINITE = TestKernels.scale().bindForStaging(KernelRequest.of(Tensor.of(1f)))
            .inputCheck();
    private static final float[] UNACCEPTABLE = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @Test
    void theFirstInputHoldingAnUnacceptableValueIsNamedWhicheverThreadFindsIt() {
        SplittableRandom random = new SplittableRandom(11);
        int size = 5 * HostInputCheck.CHUNK_ELEMENTS + 3;
        for (int trial = 0; trial < 24; trial++) {
            List<Tensor> inputs = new ArrayList<>();
            int expected = -1;
            for (int input = 0; input < 3; input++) {
                float[] data = new float[size];
                for (int i = 0; i < size; i += 97) {
                    data[i] = (float) (random.nextDouble() * 2e6 - 1e6);
                }
                if (random.nextInt(3) == 0) {
                    data[random.nextInt(size)] = UNACCEPTABLE[random.nextInt(UNACCEPTABLE.length)];
                    expected = expected < 0 ? input : expected;
                }
                inputs.add(Tensor.of(new int[] {size}, data));
            }
            boolean allocating = trial % 2 == 0;

            int found = HostInputCheck.begin(FINITE, inputs, new boolean[] {true, true, true}, allocating)
                    .firstRejected();

            assertEquals(expected, found, "trial " + trial + (allocating ? ", shared with the pool" : ", alone"));
        }
    }

    @Test
    void onlyTheInputsLeftInHostMemoryAreChecked() {
        int size = 4 * HostInputCheck.CHUNK_ELEMENTS;
        float[] bad = new float[size];
        bad[size - 1] = Float.NaN;
        List<Tensor> inputs = List.of(Tensor.of(new int[] {size}, bad), Tensor.of(new int[] {size}, new float[size]));

        assertEquals(-1, HostInputCheck.begin(FINITE, inputs, new boolean[] {false, true}, true).firstRejected());
        assertEquals(0, HostInputCheck.begin(FINITE, inputs, new boolean[] {true, true}, true).firstRejected());
        assertEquals(-1, HostInputCheck.begin(InputCheck.NONE, inputs, new boolean[] {true, true}, true)
                .firstRejected());
    }

    @Test
    void theProducerChecksEveryChunkItselfWhileThePoolIsBusy() throws Exception {
        int workers = ForkJoinPool.getCommonPoolParallelism();
        CountDownLatch busy = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < workers; i++) {
            ForkJoinPool.commonPool().execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            assertTrue(busy.await(10, TimeUnit.SECONDS), "the pool's workers never started");
            int size = 8 * HostInputCheck.CHUNK_ELEMENTS;
            float[] data = new float[size];
            data[size - 1] = Float.NEGATIVE_INFINITY;

            int found = HostInputCheck.begin(FINITE, List.of(Tensor.of(new int[] {size}, data)), new boolean[] {true},
                    true).firstRejected();

            assertEquals(0, found);
        } finally {
            release.countDown();
        }
    }
}
