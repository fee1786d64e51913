package org.ringkernel.kernels.gpucheck;

import java.util.ArrayList;
import java.util.List;

/**
 * The check's result as markdown: what ran where, one table row per measure, and the failure that stopped
 * the check, if one did. Rows measured before a failure are kept: on a machine one cannot log into, they
 * are what there is to go on.
 */
final class Report {
    private final List<String> facts = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private String failure;

    /** Adds a line to the header, e.g. the device or the driver. */
    void fact(String name, String value) {
        facts.add("- " + name + ": " + value);
    }

    void addAll(List<Row> measured) {
        rows.addAll(measured);
    }

    /** Records why the check stopped; the first reason is the one reported. */
    void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    boolean failed() {
        return failure != null;
    }

    String failure() {
        return failure;
    }

    String markdown() {
        StringBuilder text = new StringBuilder("# GPU check\n\n");
        facts.forEach(fact -> text.append(fact).append('\n'));
        text.append("\nRatio is ours ÷ baseline: for µs lower is better, for rates higher. Every baseline ran in"
                + " this run, except matmul's, which is the device's nominal peak. Every result was checked: echo"
                + " outputs equal their inputs, matmul entries match a float64 dot product.\n\n");
        text.append("| Measure | Ours | Baseline | Ratio | Note |\n|---|---:|---:|---:|---|\n");
        rows.forEach(row -> text.append(row.markdown()).append('\n'));
        if (failure != null) {
            text.append("\n**Failed:** ").append(failure).append('\n');
        }
        return text.toString();
    }
}
