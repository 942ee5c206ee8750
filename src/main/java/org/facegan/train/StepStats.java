package org.facegan.train;

/**
 * What the trainer reports after a step: losses and D's outputs averaged over the steps since the last report.
 *
 * @param step steps completed
 * @param dReal mean D(x) on real images (probability)
 * @param dFake mean D(G(z)) on generated images (probability)
 * @param imagesPerSecond real images consumed per second over the interval
 * @param inputWait share of the interval's wall time spent waiting for the next batch (0 to 1)
 * @param elapsedSeconds wall time since this process started training
 * @param dSkips steps of the interval whose D update {@code --balance margin} skipped
 * @param gSkips steps of the interval whose G update {@code --balance margin} skipped
 * @param dL2 the weight of D's L2 penalty at the end of the interval ({@code --balance l2}; else 0)
 * @param dGen mean D(G(z)) in G's phase: how well G fools D ("gen" in seed 003, "Generating Faces with Torch")
 * @param eval the interval's periodic evaluation, or null
 */
public record StepStats(long step, long totalSteps, double dLoss, double gLoss, double eLoss, double dReal,
                        double dFake, double imagesPerSecond, double inputWait, double elapsedSeconds,
                        int dSkips, int gSkips, double dL2, double dGen, PeriodicEval.Score eval) {

    /** The same row with a periodic evaluation's scores. */
    public StepStats withEval(PeriodicEval.Score score) {
        return new StepStats(step, totalSteps, dLoss, gLoss, eLoss, dReal, dFake, imagesPerSecond, inputWait,
                elapsedSeconds, dSkips, gSkips, dL2, dGen, score);
    }
}
