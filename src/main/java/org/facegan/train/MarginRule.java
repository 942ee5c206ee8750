package org.facegan.train;

/**
 * {@code --balance margin:M} (seed 003, "Generating Faces with Torch"): from D's losses on the last real and fake
 * batches, whether the next step updates D and G. D is skipped while it is winning (a loss below M), G while it is (a loss above 1 - M); when both
 * would be skipped, both update. Before the first measurement both update.
 */
final class MarginRule {
    private final float margin;
    private boolean updateD = true, updateG = true;

    MarginRule(float margin) {
        this.margin = margin;
    }

    boolean updateD() {
        return updateD;
    }

    boolean updateG() {
        return updateG;
    }

    /** D's mean cross-entropy on real faces (against 1) and on G's faces (against 0), measured this step. */
    void observe(double realLoss, double fakeLoss) {
        updateD = !(fakeLoss < margin || realLoss < margin);
        updateG = !(fakeLoss > 1 - margin || realLoss > 1 - margin);
        if (!updateD && !updateG) updateD = updateG = true;
    }
}
