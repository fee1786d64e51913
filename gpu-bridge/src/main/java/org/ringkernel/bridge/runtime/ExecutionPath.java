package org.ringkernel.bridge.runtime;

import java.util.Locale;
import org.ringkernel.bridge.ring.CompletionDescriptor;

/** How a request was computed, as its completion record says ({@link CompletionDescriptor#PATH_OFFSET}). */
public enum ExecutionPath implements SharedCode {
    /** By the kernel's own loop over its ring: the CPU loop, or one block of a persistent GPU kernel. */
    RING(CompletionDescriptor.PATH_RING),
    /** By an ordinary launch over the whole GPU, with inputs and outputs in device buffers. */
    LAUNCH(CompletionDescriptor.PATH_LAUNCH);

    private static final ExecutionPath[] VALUES = values();

    private final int code;
    private final String reportName;

    ExecutionPath(int code) {
        this.code = code;
        this.reportName = name().toLowerCase(Locale.ROOT);
    }

    @Override
    public int code() {
        return code;
    }

    /** The name reports use: {@code ring} or {@code launch}. */
    public String reportName() {
        return reportName;
    }

    /**
     * The path with {@code code}.
     *
     * @throws IllegalArgumentException for a code no writer of completions uses
     */
    public static ExecutionPath fromCode(int code) {
        return SharedCode.decode(VALUES, code);
    }
}
