package org.facegan.train;

/**
 * Training stopped because a loss stopped being a number or the game collapsed. Nothing after the last good step
 * is trusted: a checkpoint after {@link #lastGoodStep()} is set aside, so a resume (after lowering --lr, say) or
 * {@code --on-divergence rollback} starts from the last good one.
 */
public final class DivergedException extends IllegalStateException {
    private final long lastGoodStep;
    private final long stepReached;

    /**
     * @param lastGoodStep the last step whose state is trusted (checkpoints up to it are good)
     * @param stepReached the step at which the divergence was noticed
     */
    public DivergedException(String message, long lastGoodStep, long stepReached) {
        super(message);
        this.lastGoodStep = lastGoodStep;
        this.stepReached = stepReached;
    }

    public long stepReached() {
        return stepReached;
    }

    public long lastGoodStep() {
        return lastGoodStep;
    }
}
