package org.ringkernel.kernels.gpucheck;

import java.util.Locale;

/**
 * One line of the table: a measure of ours beside its baseline, which ran in the same run, or is the device's
 * nominal figure where nothing comparable can run.
 *
 * @param measure what was measured, with the workload
 * @param unit the unit of both values
 * @param ours the value through RingKernel's CUDA backend
 * @param baseline the value of the plain driver API doing the same work, or the nominal figure
 * @param note how each side was measured, or what the baseline stands for
 */
record Row(String measure, Unit unit, double ours, double baseline, String note) {

    /** Ours ÷ baseline. */
    double ratio() {
        return ours / baseline;
    }

    /** The row as a markdown table line: measure | ours | baseline | ratio | note. */
    String markdown() {
        double ratio = ratio();
        String ratioText = String.format(Locale.ROOT, ratio >= 0.1 ? "%.2f×" : "%.2g×", ratio);
        return "| " + measure + " | " + unit.format(ours) + " | " + unit.format(baseline) + " | " + ratioText + " | "
                + note + " |";
    }
}
