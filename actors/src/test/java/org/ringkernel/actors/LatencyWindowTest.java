package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    @Test
    void anEmptyWindowReportsNoSamples() {
        assertEquals(InstanceStatus.Latency.NONE, new LatencyWindow().summary());
    }

    @Test
    void percentilesAreTheNearestRanksOfWhatWasRecorded() {
        LatencyWindow window = new LatencyWindow();
        for (long nanos = 200; nanos >= 1; nanos--) {
            window.record(nanos * 1_000);
        }
        assertEquals(new InstanceStatus.Latency(200, 100_000, 198_000), window.summary());
    }

    @Test
    void onlyTheLastWindowOfRequestsCounts() {
        LatencyWindow window = new LatencyWindow();
        for (int i = 0; i < LatencyWindow.SIZE; i++) {
            window.record(5_000_000);
        }
        for (int i = 0; i < LatencyWindow.SIZE; i++) {
            window.record(7_000);
        }
        assertEquals(new InstanceStatus.Latency(LatencyWindow.SIZE, 7_000, 7_000), window.summary());
    }
}
