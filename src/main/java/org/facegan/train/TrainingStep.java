package org.facegan.train;

import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * One training step's session runs: a D run, then a G + E run (with reused fakes, one run for all three), fed
 * one batch; their figures go to the {@link Interval}, and a non-finite loss stops the run.
 */
final class TrainingStep {
    private final Session session;
    private final TrainingGraph net;
    private final TrainOptions options;
    private final int imageSize, yDim;
    private final MarginRule margin;

    /** @param margin with {@code --balance margin}, decides which network updates (E always learns); else null */
    TrainingStep(Session session, TrainingGraph net, TrainOptions options, int imageSize, int yDim, MarginRule margin) {
        this.session = session;
        this.net = net;
        this.options = options;
        this.imageSize = imageSize;
        this.yDim = yDim;
        this.margin = margin;
    }

    void run(StepDraws.Batch batch, Interval interval, long stepsDone) {
        int b = options.batch(), s = imageSize, zDim = options.model().zDim();
        boolean updateD = margin == null || margin.updateD(), updateG = margin == null || margin.updateG();
        try (BatchTensors in = new BatchTensors(batch, b, s, yDim, zDim);
             TFloat32 rateScale = TFloat32.scalarOf(options.learningRateScale(stepsDone))) {
            Session.Runner dRunner = session.runner().feed(net.realImages, in.images).feed(net.realY, in.realY)
                    .feed(net.fakeZ, in.fakeZ).feed(net.fakeY, in.fakeY).feed(net.learningRateScale, rateScale);
            if (options.vaegan() != null) dRunner.feed(net.noise, in.genZ); // ε of D's reconstructions: independent of fake_z
            Fetches d = new Fetches(dRunner).fetch(net.dLoss).fetch(net.dReal).fetch(net.dFake).fetch(net.dRealLoss)
                    .fetch(net.dFakeLoss);
            if (updateD) d.target(net.dTrain);
            if (options.reuseFakes()) {
                // one run: D's update, then G's phase on the same fake batch, and E's (no balancing: options check)
                try (Fetches all = d.target(net.eTrain).target(net.gTrain).fetch(net.gLoss).fetch(net.eLoss)
                        .fetch(net.dGen).run()) {
                    record(all, all, interval, stepsDone, false, false);
                }
                return;
            }
            Fetches g = new Fetches(gRunner(in.images, in.realY, in.fakeZ).feed(net.genZ, in.genZ).feed(net.genY, in.genY)
                    .feed(net.learningRateScale, rateScale)).target(net.eTrain).fetch(net.gLoss).fetch(net.eLoss)
                    .fetch(net.dGen);
            if (updateG) g.target(net.gTrain);
            if (net.dL2Update != null) g.target(net.dL2Update).fetch(net.dL2Weight);
            try (Fetches dRun = d.run(); Fetches gRun = g.run()) {
                record(dRun, gRun, interval, stepsDone, !updateD, !updateG);
            }
        }
    }

    /** Adds a step's figures to {@code interval}; a non-finite loss stops the run. */
    private void record(Fetches d, Fetches g, Interval interval, long stepsDone, boolean dSkipped, boolean gSkipped) {
        double dLoss = d.scalar(net.dLoss), gLoss = g.scalar(net.gLoss), eLoss = g.scalar(net.eLoss);
        if (!Double.isFinite(dLoss) || !Double.isFinite(gLoss) || !Double.isFinite(eLoss)) {
            throw new DivergedException(String.format(java.util.Locale.ROOT,
                    "training diverged at step %d: D loss %s, G loss %s, E loss %s; stopped before saving anything",
                    stepsDone + 1, dLoss, gLoss, eLoss), stepsDone, stepsDone + 1);
        }
        if (margin != null) margin.observe(d.scalar(net.dRealLoss), d.scalar(net.dFakeLoss));
        double dL2 = net.dL2Update != null && !options.reuseFakes() ? g.scalar(net.dL2Weight) : 0;
        interval.add(dLoss, gLoss, eLoss, d.scalar(net.dReal), d.scalar(net.dFake), dSkipped, gSkipped, dL2,
                g.scalar(net.dGen));
    }

    /**
     * The G/E phase's runner: E's reconstruction loss and the VAE/GAN also read the real batch; the VAE/GAN's ε is
     * fake_z's draw (independent of gen_z).
     */
    private Session.Runner gRunner(TFloat32 x, TFloat32 realY, TFloat32 noise) {
        Session.Runner runner = session.runner();
        if (options.encoderRecon() > 0 || options.vaegan() != null) runner.feed(net.realImages, x).feed(net.realY, realY);
        if (options.vaegan() != null) runner.feed(net.noise, noise);
        return runner;
    }
}
