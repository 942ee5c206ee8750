package org.facegan.train;

/** Running means of a step's figures since the last metrics row, and the throughput over that interval. */
final class Interval {
    private double dLoss, gLoss, eLoss, dReal, dFake, dL2, dGen;
    private long waitedNanos;
    private int steps, dSkips, gSkips;
    private long startNanos = System.nanoTime();

    void add(double dLoss, double gLoss, double eLoss, double dReal, double dFake, boolean dSkipped,
             boolean gSkipped, double dL2, double dGen) {
        this.dLoss += dLoss; this.gLoss += gLoss; this.eLoss += eLoss; this.dReal += dReal; this.dFake += dFake;
        this.dGen += dGen;
        if (dSkipped) dSkips++;
        if (gSkipped) gSkips++;
        this.dL2 = dL2;
        steps++;
    }

    void waited(long nanos) {
        waitedNanos += nanos;
    }

    StepStats stats(long step, long total, int batch, double elapsed) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        return new StepStats(step, total, dLoss / steps, gLoss / steps, eLoss / steps, dReal / steps,
                dFake / steps, steps * batch / seconds, waitedNanos / 1e9 / seconds, elapsed, dSkips, gSkips, dL2,
                dGen / steps, null);
    }

    int steps() {
        return steps;
    }

    void reset() {
        dLoss = gLoss = eLoss = dReal = dFake = dGen = 0;
        waitedNanos = 0;
        steps = dSkips = gSkips = 0;
        startNanos = System.nanoTime();
    }
}
