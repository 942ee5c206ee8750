package org.facegan.train;

/**
 * What training does when it diverges (a NaN/Inf loss, or {@link CollapseDetector}'s collapse): stop, keeping the
 * last good checkpoint, or roll back to it and go on with the learning rate times {@code learningRateFactor}, at
 * most {@code maxRollbacks} times per process. Not part of {@link TrainOptions}: it changes nothing about a run that
 * stays healthy, so it may differ between invocations of one run.
 *
 * @param collapsePatience metrics rows in a row of D winning outright that count as a collapse; 0 turns the
 *     collapse checks off
 */
public record DivergencePolicy(Action action, int collapsePatience, int maxRollbacks, float learningRateFactor) {
    public enum Action { STOP, ROLLBACK }

    public static final int DEFAULT_COLLAPSE_PATIENCE = 20;
    public static final int DEFAULT_MAX_ROLLBACKS = 3;
    public static final float DEFAULT_LEARNING_RATE_FACTOR = 0.5f;
    public static final DivergencePolicy STOP =
            new DivergencePolicy(Action.STOP, DEFAULT_COLLAPSE_PATIENCE, DEFAULT_MAX_ROLLBACKS, DEFAULT_LEARNING_RATE_FACTOR);

    public DivergencePolicy {
        if (action == null) throw new IllegalArgumentException("--on-divergence must be stop or rollback");
        if (collapsePatience < 0) {
            throw new IllegalArgumentException("--collapse-patience must be 0 (off) or more, found " + collapsePatience);
        }
        if (maxRollbacks < 0) throw new IllegalArgumentException("--max-rollbacks must be 0 or more, found " + maxRollbacks);
        if (!(learningRateFactor > 0 && learningRateFactor < 1)) {
            // no option sets it: train --on-divergence rollback always halves the rate (DEFAULT_LEARNING_RATE_FACTOR)
            throw new IllegalArgumentException("learningRateFactor (what a rollback multiplies the learning rate by)"
                    + " must be in (0, 1), found " + learningRateFactor);
        }
    }

    public static DivergencePolicy rollback() {
        return new DivergencePolicy(Action.ROLLBACK, DEFAULT_COLLAPSE_PATIENCE, DEFAULT_MAX_ROLLBACKS,
                DEFAULT_LEARNING_RATE_FACTOR);
    }
}
