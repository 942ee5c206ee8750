package org.facegan.train;

import java.nio.file.Path;
import org.facegan.data.FaceDataset;
import org.facegan.io.AtomicFiles;
import org.facegan.model.Devices;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * The alternating training loop. Per step: a D update on a real batch and a batch of G(z, y); then, in one
 * session run, a G update with fresh z and an E update on G's images. Batches are assembled ahead on a
 * background thread ({@link Prefetcher}); the share of time spent waiting for them is reported. Samples, metrics and checkpoints go to the
 * run directory; an existing run resumes from its last complete checkpoint with the same step counter, weights,
 * Adam state and (derived) random streams.
 */
public final class Trainer {
    /** Steps between metrics rows (each row averages its interval). */
    public static final int LOG_EVERY = 10;
    public static final int SAMPLE_COLUMNS = 8;

    private final TrainOptions options;
    private final FaceDataset data;
    private final RunDirectory run;
    private final SampleWriter sampleWriter;
    private final Runtime runtime;

    /** Renders a sample grid (images in [-1, 1], NHWC) to a PNG file. */
    public interface SampleWriter {
        void write(float[] images, SampleGrid grid, int imageSize, Path file);
    }

    /**
     * How a run is carried out, without changing what it computes (so none of it is in config.json).
     *
     * @param divergence what to do when training diverges
     * @param devices where the networks run, one data-parallel tower per device; null leaves placement to TensorFlow
     * @param eval the periodic evaluation, or null
     * @param evalEvery steps between evaluations (a multiple of {@link #LOG_EVERY}); 0 with no evaluation
     */
    public record Runtime(DivergencePolicy divergence, Devices devices, PeriodicEval eval, long evalEvery) {
        public static final Runtime DEFAULT = new Runtime(DivergencePolicy.STOP, null, null, 0);

        public Runtime {
            if (evalEvery < 0 || evalEvery % LOG_EVERY != 0) {
                throw new IllegalArgumentException("--eval-every must be 0 (off) or a multiple of " + LOG_EVERY
                        + ", found " + evalEvery);
            }
            if ((eval == null) != (evalEvery == 0)) throw new IllegalArgumentException("an evaluation needs --eval-every");
        }
    }

    public Trainer(TrainOptions options, FaceDataset data, RunDirectory run, SampleWriter sampleWriter) {
        this(options, data, run, sampleWriter, Runtime.DEFAULT);
    }

    public Trainer(TrainOptions options, FaceDataset data, RunDirectory run, SampleWriter sampleWriter, Runtime runtime) {
        if (data.imageSize() != options.model().imageSize()) {
            throw new IllegalArgumentException("dataset images are " + data.imageSize() + " px but model "
                    + options.model().name() + " expects " + options.model().imageSize() + " px");
        }
        if (runtime.devices() != null) runtime.devices().checkSplits(options.batch());
        this.options = options;
        this.data = data;
        this.run = run;
        this.sampleWriter = sampleWriter;
        this.runtime = runtime;
    }

    /**
     * Trains to {@code options.steps()}, holding the run's lock throughout; returns the final checkpoint.
     *
     * @throws IllegalArgumentException if another process is training the same run
     */
    public Checkpoints.Checkpoint train(TrainingListener listener) {
        try (RunLock lock = RunLock.acquire(run.root())) {
            run.openFor(new RunDirectory.RunRecord(options, data.attributeNames(), data.size()));
            removeLeftovers();
            Checkpoints checkpoints = run.checkpoints(options.keepCheckpoints());
            TrainingState state = TrainingState.read(run.root());
            for (int rollbacks = 0; ; rollbacks++) {
                try {
                    return train(listener, checkpoints, (float) (options.learningRate() * state.learningRateScale()));
                } catch (DivergedException e) {
                    int setAside = checkpoints.setAsideAfter(e.lastGoodStep());
                    boolean rollingBack = runtime.divergence().action() == DivergencePolicy.Action.ROLLBACK;
                    if (!rollingBack || rollbacks >= runtime.divergence().maxRollbacks()) {
                        throw new DivergedException(e.getMessage() + "; " + lastGoodState(checkpoints, setAside)
                                + (rollingBack ? " (gave up after " + rollbacks + " rollbacks)" : ""),
                                e.lastGoodStep(), e.stepReached());
                    }
                    state = rollBack(state, e, checkpoints);
                    listener.rolledBack(state.rollbacks().get(state.rollbacks().size() - 1));
                }
            }
        }
    }

    /** Records a rollback to the latest (good) checkpoint with the learning rate lowered once more. */
    private TrainingState rollBack(TrainingState state, DivergedException e, Checkpoints checkpoints) {
        double scale = state.learningRateScale() * runtime.divergence().learningRateFactor();
        long resumedFrom = checkpoints.latest().map(Checkpoints.Checkpoint::step).orElse(0L);
        TrainingState next = state.after(new TrainingState.Rollback(e.stepReached(), resumedFrom,
                options.learningRate() * scale, e.getMessage()), scale);
        next.write(run.root());
        return next;
    }

    private static String lastGoodState(Checkpoints checkpoints, int setAside) {
        String aside = setAside == 0 ? "" : setAside + " later checkpoint(s) moved to " + checkpoints.dir() + "/"
                + Checkpoints.DIVERGED_PREFIX + "step-*; ";
        return aside + checkpoints.latest().map(c -> "the latest checkpoint, " + c.dir()
                + ", is the last good state (resume from it, e.g. with a lower --lr, or use --on-divergence rollback)")
                .orElse("no checkpoint from before it is left: start again, e.g. with a lower --lr");
    }

    /** What a killed run left half written (never read: hidden temporary names), removed under the run's lock. */
    private void removeLeftovers() {
        try {
            AtomicFiles.removeLeftovers(run.root());
            AtomicFiles.removeLeftovers(run.samplesDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clean " + run.root() + ": " + e.getMessage(), e);
        }
    }

    private Checkpoints.Checkpoint train(TrainingListener listener, Checkpoints checkpoints, float learningRate) {
        int yDim = data.attributeNames().size();
        int s = data.imageSize();
        int b = options.batch();
        int zDim = options.model().zDim();
        try (Graph graph = new Graph()) {
            TrainingGraph net = new TrainingGraph(graph, options.withLearningRate(learningRate), yDim, runtime.devices());
            try (Session session = Sessions.open(graph, options.threads(), runtime.devices())) {
                var latest = checkpoints.latest();
                long step = 0;
                if (latest.isPresent()) {
                    checkpoints.restore(session, latest.get());
                    step = latest.get().step();
                }
                Checkpoints.Checkpoint last = latest.orElse(null);
                listener.started(step, options.steps(), latest.isPresent());
                if (step >= options.steps()) return last;

                StepDraws draws = new StepDraws(data, YSampler.of(options.ySampler(), data, options.seed()), b, zDim,
                        options.seed());
                SampleGrid grid = new SampleGrid(data.attributeNames(), zDim, SAMPLE_COLUMNS, options.seed());
                AveragedStatistics averaged = net.averagedGenerator == null ? null
                        : new AveragedStatistics(session, net, data, YSampler.of(options.ySampler(), data, options.seed()),
                                zDim, options.seed());
                Interval interval = new Interval();
                MarginRule margin = options.balancing().rule() == Balancing.Rule.MARGIN
                        ? new MarginRule(options.balancing().margin()) : null;
                CollapseDetector collapse = new CollapseDetector(runtime.divergence().collapsePatience());
                Checkpoints.Best best = checkpoints.best().orElse(null);
                long started = System.nanoTime();
                try (MetricsLog metrics = new MetricsLog(run.metricsFile(), step);
                     Prefetcher input = new Prefetcher(draws, step, options.steps());
                     Summaries summaries = new Summaries(run.root())) {
                    while (step < options.steps()) {
                        long waitedBefore = input.waitedNanos();
                        StepDraws.Batch batch = input.take();
                        interval.waited(input.waitedNanos() - waitedBefore);
                        step(session, net, batch, interval, step, margin);
                        step++;
                        boolean lastStep = step == options.steps();
                        StepStats stats = interval.stats(step, options.steps(), b, (System.nanoTime() - started) / 1e9);
                        if (averaged != null && (lastStep || step % options.sampleEvery() == 0
                                || step % options.checkpointEvery() == 0
                                || (runtime.evalEvery() > 0 && step % runtime.evalEvery() == 0))) {
                            averaged.refresh(); // the averaged G samples, is evaluated or is saved below
                        }
                        if (runtime.evalEvery() > 0 && step % runtime.evalEvery() == 0) {
                            PeriodicEval.Score score = evaluate(session, net, step);
                            if (best == null || score.frechet() < best.score().frechet()) {
                                best = checkpoints.saveBest(session, step, score);
                            }
                            stats = stats.withEval(score);
                        }
                        if (step % LOG_EVERY == 0 || lastStep) {
                            metrics.append(stats);
                            TrainingSummaries.scalars(summaries, stats, learningRate * options.learningRateScale(step - 1));
                            var collapsed = collapse.observe(stats, interval.steps());
                            interval.reset();
                            if (collapsed.isPresent()) throw collapsed.get();
                        }
                        listener.step(stats);
                        if (step % options.sampleEvery() == 0 || lastStep) {
                            Path file = run.sampleFile(step);
                            float[] sampled = sample(session, net, grid, zDim, yDim);
                            if (runtime.divergence().collapsePatience() > 0) {
                                var collapsed = collapse.checkGrid(step, sampled, grid.count());
                                if (collapsed.isPresent()) throw collapsed.get();
                            }
                            sampleWriter.write(sampled, grid, s, file);
                            TrainingSummaries.samples(summaries, step, sampled, grid, s);
                            TrainingSummaries.histograms(summaries, step, session, net, batch, b, s, yDim, zDim);
                            summaries.flush();
                            listener.sampled(step, file);
                        }
                        if (step % options.checkpointEvery() == 0 || lastStep) {
                            last = checkpoints.save(session, step);
                            listener.checkpointed(step, last.dir());
                        }
                        input.recycle(batch); // the histograms above still read it
                    }
                }
                return last;
            }
        }
    }

    /** The periodic evaluation of G as it stands at {@code step}. */
    private PeriodicEval.Score evaluate(Session session, TrainingGraph net, long step) {
        int zDim = options.model().zDim(), yDim = data.attributeNames().size();
        return runtime.eval().evaluate(step, new PeriodicEval.Generator() {
            @Override public int zDim() { return zDim; }
            @Override public float[] generate(float[] z, float[] y, int n) {
                try (TFloat32 zt = Tensors.matrix(n, zDim, z); TFloat32 yt = Tensors.matrix(n, yDim, y);
                     Result r = session.runner().feed(net.genZ, zt).feed(net.genY, yt).fetch(net.samples).run()) {
                    return Tensors.read((TFloat32) r.get(0));
                }
            }
        });
    }

    private static float[] sample(Session session, TrainingGraph net, SampleGrid grid, int zDim, int yDim) {
        try (TFloat32 z = Tensors.matrix(grid.count(), zDim, grid.z());
             TFloat32 y = Tensors.matrix(grid.count(), yDim, grid.y());
             Result r = session.runner().feed(net.genZ, z).feed(net.genY, y).fetch(net.samples).run()) {
            return Tensors.read((TFloat32) r.get(0));
        }
    }

    /**
     * One D run, then one G + E run, on {@code batch} (with reused fakes, one run for all three). With
     * {@code margin}, a network it says is winning only measures its loss (E still learns).
     */
    private void step(Session session, TrainingGraph net, StepDraws.Batch batch, Interval interval, long stepsDone,
                      MarginRule margin) {
        int b = options.batch(), s = data.imageSize(), yDim = data.attributeNames().size(), zDim = options.model().zDim();
        boolean updateD = margin == null || margin.updateD(), updateG = margin == null || margin.updateG();
        try (TFloat32 x = Tensors.of(Shape.of(b, s, s, 3), batch.images);
             TFloat32 realY = Tensors.matrix(b, yDim, batch.realY);
             TFloat32 fakeZ = Tensors.matrix(b, zDim, batch.fakeZ);
             TFloat32 fakeY = Tensors.matrix(b, yDim, batch.fakeY);
             TFloat32 genZ = Tensors.matrix(b, zDim, batch.genZ);
             TFloat32 genY = Tensors.matrix(b, yDim, batch.genY);
             TFloat32 rateScale = TFloat32.scalarOf(options.learningRateScale(stepsDone))) {
            Session.Runner dRun = session.runner()
                    .feed(net.realImages, x).feed(net.realY, realY).feed(net.fakeZ, fakeZ).feed(net.fakeY, fakeY)
                    .feed(net.learningRateScale, rateScale);
            if (options.vaegan() != null) dRun.feed(net.noise, genZ);   // ε of D's reconstructions: independent of fake_z
            dRun
                    .fetch(net.dLoss).fetch(net.dReal).fetch(net.dFake).fetch(net.dRealLoss).fetch(net.dFakeLoss);
            if (updateD) dRun.addTarget(net.dTrain);
            if (options.reuseFakes()) {
                // one run: D's update, then G's phase on the same fake batch, and E's (no balancing: options check)
                try (Result r = dRun.addTarget(net.eTrain).addTarget(net.gTrain)
                        .fetch(net.gLoss).fetch(net.eLoss).fetch(net.dGen).run()) {
                    record(r, r, 5, interval, stepsDone, null, false, false, 0);
                }
                return;
            }
            Session.Runner gRun = gRunner(session, net, options, x, realY, fakeZ).feed(net.genZ, genZ).feed(net.genY, genY)
                    .feed(net.learningRateScale, rateScale)
                    .addTarget(net.eTrain).fetch(net.gLoss).fetch(net.eLoss).fetch(net.dGen);
            if (updateG) gRun.addTarget(net.gTrain);
            if (net.dL2Update != null) gRun.addTarget(net.dL2Update).fetch(net.dL2Weight);
            try (Result d = dRun.run(); Result g = gRun.run()) {
                record(d, g, 0, interval, stepsDone, margin, !updateD, !updateG, net.dL2Update != null ? scalar(g, 3) : 0);
            }
        }
    }

    /**
     * Adds a step's figures to {@code interval}: D's five fetches first in {@code d}, G's three from {@code gFirst}
     * on in {@code g}; a non-finite loss stops the run.
     */
    private static void record(Result d, Result g, int gFirst, Interval interval, long stepsDone, MarginRule margin,
                               boolean dSkipped, boolean gSkipped, double dL2) {
        double dLoss = scalar(d, 0), gLoss = scalar(g, gFirst), eLoss = scalar(g, gFirst + 1);
        if (!Double.isFinite(dLoss) || !Double.isFinite(gLoss) || !Double.isFinite(eLoss)) {
            throw new DivergedException(String.format(java.util.Locale.ROOT,
                    "training diverged at step %d: D loss %s, G loss %s, E loss %s; stopped before saving anything",
                    stepsDone + 1, dLoss, gLoss, eLoss), stepsDone, stepsDone + 1);
        }
        if (margin != null) margin.observe(scalar(d, 3), scalar(d, 4));
        interval.add(dLoss, gLoss, eLoss, scalar(d, 1), scalar(d, 2), dSkipped, gSkipped, dL2, scalar(g, gFirst + 2));
    }

    /**
     * The G/E phase's runner: E's reconstruction loss and the VAE/GAN also read the real batch; the VAE/GAN's ε is
     * fake_z's draw (independent of gen_z).
     */
    private static Session.Runner gRunner(Session session, TrainingGraph net, TrainOptions options, TFloat32 x,
                                          TFloat32 realY, TFloat32 noise) {
        Session.Runner runner = session.runner();
        if (options.encoderRecon() > 0 || options.vaegan() != null) runner.feed(net.realImages, x).feed(net.realY, realY);
        if (options.vaegan() != null) runner.feed(net.noise, noise);
        return runner;
    }

    private static double scalar(Result r, int i) {
        return ((TFloat32) r.get(i)).getFloat();
    }

    /** Running means since the last metrics row, and the throughput over that interval. */
    private static final class Interval {
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
}
