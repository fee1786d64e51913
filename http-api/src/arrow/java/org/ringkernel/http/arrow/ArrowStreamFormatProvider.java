package org.ringkernel.http.arrow;

import org.ringkernel.actors.RingKernels;
import org.ringkernel.http.ProcessFormat;
import org.ringkernel.http.ProcessFormatProvider;
import org.ringkernel.server.HttpSettings;

/** Builds the {@link ArrowStreamFormat} into the process route; named in {@code META-INF/services}. */
public final class ArrowStreamFormatProvider implements ProcessFormatProvider {

    @Override
    public ProcessFormat create(RingKernels kernels, HttpSettings settings) {
        return new ArrowStreamFormat(kernels, settings);
    }
}
