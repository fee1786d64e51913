package org.ringkernel.data.tensor;

import java.util.Arrays;

/**
 * A stage cannot take the shape it would be given: thrown before anything is sent to a kernel. The message
 * names the stage, its position, the shape it would get and what does not fit.
 */
public final class TensorShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int position;
    private final String stage;
    private final int[] inputShape;

    /**
     * An error for stage {@code position} of {@code count}.
     *
     * @param position the stage's position in its pipeline, from 1
     * @param count how many stages the pipeline has
     * @param stage the stage's name, e.g. {@code matmul(weights [4, 3])}
     * @param inputShape the shape the stage would get
     * @param reason what does not fit
     */
    public TensorShapeException(int position, int count, String stage, int[] inputShape, String reason) {
        super("stage " + position + " of " + count + " (" + stage + ") cannot take shape "
                + Arrays.toString(inputShape) + ": " + reason);
        this.position = position;
        this.stage = stage;
        this.inputShape = inputShape.clone();
    }

    /**
     * The stage's position in its pipeline, from 1.
     *
     * @return the position
     */
    public int position() {
        return position;
    }

    /**
     * The stage's name.
     *
     * @return the name, e.g. {@code softmax}
     */
    public String stage() {
        return stage;
    }

    /**
     * The shape the stage would have been given.
     *
     * @return a copy of the shape
     */
    public int[] inputShape() {
        return inputShape.clone();
    }
}
