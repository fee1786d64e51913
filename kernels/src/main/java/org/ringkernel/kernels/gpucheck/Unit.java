package org.ringkernel.kernels.gpucheck;

import java.util.Locale;

/** The unit of one measure, and how its values are written. */
enum Unit {
    MICROSECONDS {
        @Override
        String format(double value) {
            return decimal(value) + " µs";
        }
    },
    REQUESTS_PER_SECOND {
        @Override
        String format(double value) {
            return value >= 1e6 ? decimal(value / 1e6) + " Mreq/s" : decimal(value / 1e3) + " kreq/s";
        }
    },
    GIGABYTES_PER_SECOND {
        @Override
        String format(double value) {
            return decimal(value) + " GB/s";
        }
    },
    GIGAFLOPS {
        @Override
        String format(double value) {
            return decimal(value) + " GFLOP/s";
        }
    };

    abstract String format(double value);

    /** Three significant digits or more: enough to compare runs, few enough to read. */
    private static String decimal(double value) {
        String pattern = value >= 100 ? "%,.0f" : value >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
