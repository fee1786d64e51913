package org.ringkernel.bridge.runtime;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import org.ringkernel.bridge.kernel.InputCheck;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * The check of the input values that a request leaves in host memory ({@link HostResidentTensors}), which no copy
 * into the arena makes on the way. A large check runs on the common fork-join pool while the producer allocates
 * the request's host-resident outputs: the JVM zeroes a new array as it allocates it, a pass over memory about as
 * long as the check's, and neither needs the other's result. A small check, or one with nothing beside it, runs
 * on the producer's thread when its result is asked for, where a hand-over would cost more than it saves. A check
 * not yet started when its result is asked for runs on the asking thread, so a busy pool never holds it up.
 */
final class HostInputCheck {
    /** The fewest elements checked on the pool: 4 MiB of floats, a pass of about a millisecond. */
    static final int ASIDE_MIN_ELEMENTS = 1 << 20;

    private final InputCheck check;
    private final List<Tensor> inputs;
    private final boolean[] inHost;
    private final ForkJoinTask<Integer> aside;

    private HostInputCheck(InputCheck check, List<Tensor> inputs, boolean[] inHost, boolean runAside) {
        this.check = check;
        this.inputs = inputs;
        this.inHost = inHost;
        this.aside = runAside ? ForkJoinPool.commonPool().submit(this::scan) : null;
    }

    /**
     * Begins the check of the inputs marked in {@code inHost}.
     *
     * @param check the request's input check
     * @param inputs the request's inputs
     * @param inHost which inputs stay in host memory, by index
     * @param allocating whether the producer allocates outputs before it asks for the result
     */
    static HostInputCheck begin(InputCheck check, List<Tensor> inputs, boolean[] inHost, boolean allocating) {
        long elements = 0;
        for (int i = 0; i < inHost.length; i++) {
            elements += inHost[i] ? inputs.get(i).size() : 0;
        }
        return new HostInputCheck(check, inputs, inHost,
                allocating && !check.isNone() && elements >= ASIDE_MIN_ELEMENTS);
    }

    /** The index of the first host-resident input holding an unacceptable value, or -1 when there is none. */
    int firstRejected() {
        return aside != null ? aside.join() : scan();
    }

    private int scan() {
        if (check.isNone()) {
            return -1;
        }
        for (int i = 0; i < inHost.length; i++) {
            if (inHost[i] && !check.accepts(inputs.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
