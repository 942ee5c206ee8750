package org.facegan.train;

/**
 * What the trainer reports after a step: losses and D's outputs averaged over the steps since the last report.
 *
 * @param step steps completed
 * @param dReal mean D(x) on real images (probability)
 * @param dFake mean D(G(z)) on generated images (probability)
 * @param imagesPerSecond real images consumed per second over the interval
 * @param elapsedSeconds wall time since this process started training
 */
public record StepStats(long step, long totalSteps, double dLoss, double gLoss, double eLoss, double dReal,
                        double dFake, double imagesPerSecond, double elapsedSeconds) {}
