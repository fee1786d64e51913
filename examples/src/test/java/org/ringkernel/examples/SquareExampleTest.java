package org.ringkernel.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The README's example runs and gives the answers it promises. */
class SquareExampleTest {
    private final ActorSystem<SquareApp.Command> system = ActorSystem.create(SquareApp.create(), "square-example");

    @AfterEach
    void stop() {
        ActorTestKit.shutdown(system);
    }

    @Test
    void squaresThreeWays() throws Exception {
        SquareExample.Answers answers = SquareExample.run(system);
        assertArrayEquals(new float[] {1f, 4f, 9f}, answers.squares());
        assertEquals(14.0, answers.sumOfSquares());
        assertEquals(List.of(1f, 4f, 9f, 16f, 25f), answers.streamed());
    }
}
