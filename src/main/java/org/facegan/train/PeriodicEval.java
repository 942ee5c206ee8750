package org.facegan.train;

/**
 * A quick measurement of the generator every {@code --eval-every} steps (the CLI plugs in the eval package's): the
 * trainer logs its scores and keeps {@code checkpoints/best}, the checkpoint with the lowest Fréchet distance.
 */
public interface PeriodicEval {
    /** G as it stands, in inference mode. */
    interface Generator {
        int zDim();

        /** G(z, y), [n, S, S, 3] in [-1, 1]. */
        float[] generate(float[] z, float[] y, int n);
    }

    /** What a quick evaluation reports: mean conditional accuracy over attributes and Fréchet distance. */
    record Score(double conditionalAccuracy, double frechet) {}

    Score evaluate(long step, Generator generator);
}
