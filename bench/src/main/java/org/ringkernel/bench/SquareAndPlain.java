package org.ringkernel.bench;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * The two sides the ask benchmarks compare, in one actor system: the {@code square} kernel and {@link PlainSquare},
 * each with the same 16 floats to square.
 */
@State(Scope.Benchmark)
public class SquareAndPlain {
    ActorSystem<Void> system;
    KernelRef square;
    ActorRef<PlainSquare.Command> plain;
    KernelRequest request;
    float[] values;

    /** Starts the system with the {@code square} kernel and the plain actor. */
    @Setup
    public void setUp() {
        system = BenchSystems.create("square-and-plain", "ringkernel.kernels.start = [square]");
        square = RingKernels.get(system).kernel("square");
        plain = system.systemActorOf(PlainSquare.create(), "plain", Props.empty());
        request = Payloads.smallRequest();
        values = Payloads.small();
    }

    /** Stops the system. */
    @TearDown
    public void tearDown() throws Exception {
        BenchSystems.terminate(system);
    }
}
