package org.ringkernel.data.tensor;

/**
 * A stage's kernel failed, or could not be found or started: the message names the stage and its position and
 * carries the kernel's own message; the cause is the kernel's error (a {@code KernelRequestException} for
 * failed requests).
 */
public final class TensorStageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int position;
    private final String stage;

    /**
     * An error for stage {@code position} of {@code count}.
     *
     * @param position the stage's position in its pipeline, from 1
     * @param count how many stages the pipeline has
     * @param stage the stage's name
     * @param message what happened
     * @param cause the kernel's error, or null where there is none
     */
    public TensorStageException(int position, int count, String stage, String message, Throwable cause) {
        super("stage " + position + " of " + count + " (" + stage + "): " + message, cause);
        this.position = position;
        this.stage = stage;
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
     * @return the name, e.g. {@code layer_norm(eps=1.0E-5)}
     */
    public String stage() {
        return stage;
    }
}
