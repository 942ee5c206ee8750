package org.facegan.train;

import java.nio.file.Path;
import org.facegan.data.FaceDataset;
import org.facegan.model.Tensors;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The steps of one training attempt, from the step it starts at to the last, and the periodic work between
 * them: the averaged G's statistics, evaluation, metrics rows, sample grids and checkpoints, in that order after
 * each step.
 */
final class TrainingLoop {
    private final TrainOptions options;
    private final FaceDataset data;
    private final RunDirectory run;
    private final Trainer.SampleWriter sampleWriter;
    private final Trainer.Runtime runtime;
    private final Session session;
    private final TrainingGraph net;
    private final Checkpoints checkpoints;
    private final TrainingListener listener;
    private final float learningRate;
    private final int yDim, zDim;
    private final SampleGrid grid;
    private final AveragedStatistics averaged;
    private final TrainingStep trainingStep;
    private final CollapseDetector collapse;
    private final Interval interval = new Interval();
    private Checkpoints.Best best;
    private Checkpoints.Checkpoint last;

    TrainingLoop(Trainer.Context context, Session session, TrainingGraph net, Checkpoints checkpoints,
                 Checkpoints.Checkpoint last, TrainingListener listener, float learningRate) {
        this.options = context.options();
        this.data = context.data();
        this.run = context.run();
        this.sampleWriter = context.sampleWriter();
        this.runtime = context.runtime();
        this.session = session;
        this.net = net;
        this.checkpoints = checkpoints;
        this.last = last;
        this.listener = listener;
        this.learningRate = learningRate;
        this.yDim = data.attributeNames().size();
        this.zDim = options.model().zDim();
        this.grid = new SampleGrid(data.attributeNames(), zDim, Trainer.SAMPLE_COLUMNS, options.seed());
        this.averaged = net.averagedGenerator == null ? null
                : new AveragedStatistics(session, net, data, YSampler.of(options.ySampler(), data, options.seed()),
                        zDim, options.seed());
        MarginRule margin = options.balancing().rule() == Balancing.Rule.MARGIN
                ? new MarginRule(options.balancing().margin()) : null;
        this.trainingStep = new TrainingStep(session, net, options, data.imageSize(), yDim, margin);
        this.collapse = new CollapseDetector(runtime.divergence().collapsePatience());
        this.best = checkpoints.best().orElse(null);
    }

    /** Trains from {@code step} to the last step; returns the last checkpoint. */
    Checkpoints.Checkpoint run(long step) {
        StepDraws draws = new StepDraws(data, YSampler.of(options.ySampler(), data, options.seed()), options.batch(), zDim,
                options.seed(), StepDraws.Pairs.of(options));
        long started = System.nanoTime();
        try (MetricsLog metrics = new MetricsLog(run.metricsFile(), step);
             Prefetcher input = new Prefetcher(draws, step, options.steps());
             Summaries summaries = new Summaries(run.root())) {
            while (step < options.steps()) {
                long waitedBefore = input.waitedNanos();
                StepDraws.Batch batch = input.take();
                interval.waited(input.waitedNanos() - waitedBefore);
                trainingStep.run(batch, interval, step);
                step++;
                StepStats stats = interval.stats(step, options.steps(), options.batch(), (System.nanoTime() - started) / 1e9);
                if (averaged != null && (due(step, options.sampleEvery()) || due(step, options.checkpointEvery())
                        || (runtime.evalEvery() > 0 && due(step, runtime.evalEvery())))) {
                    averaged.refresh(); // the averaged G samples, is evaluated or is saved below
                }
                if (runtime.evalEvery() > 0 && step % runtime.evalEvery() == 0) stats = evaluate(step, stats);
                if (due(step, Trainer.LOG_EVERY)) log(step, stats, metrics, summaries);
                listener.step(stats);
                if (due(step, options.sampleEvery())) sample(step, batch, summaries);
                if (due(step, options.checkpointEvery())) checkpoint(step);
                input.recycle(batch); // the histograms above still read it
            }
        }
        return last;
    }

    /** Whether periodic work of this period is due after {@code step}: at each multiple, and at the last step. */
    private boolean due(long step, long every) {
        return step % every == 0 || step == options.steps();
    }

    /** The periodic evaluation of G as it stands; the checkpoint with the lowest {@code bestBy} distance is kept as best. */
    private StepStats evaluate(long step, StepStats stats) {
        PeriodicEval.Score score = runtime.eval().evaluate(step, new PeriodicEval.Generator() {
            @Override public int zDim() { return zDim; }
            @Override public float[] generate(float[] z, float[] y, int n) {
                return TrainingLoop.this.generate(z, y, n);
            }
        });
        String metric = runtime.eval().bestBy();
        if (best == null || score.distance(metric) < best.score().distance(metric)) {
            best = checkpoints.saveBest(session, step, score, metric);
        }
        return stats.withEval(score);
    }

    /** A metrics row and TensorBoard scalars for the interval; a collapse seen over the interval stops the run. */
    private void log(long step, StepStats stats, MetricsLog metrics, Summaries summaries) {
        metrics.append(stats);
        TrainingSummaries.scalars(summaries, stats, learningRate * options.learningRateScale(step - 1));
        var collapsed = collapse.observe(stats, interval.steps());
        interval.reset();
        if (collapsed.isPresent()) throw collapsed.get();
    }

    /** The sample grid as a PNG and in TensorBoard, with histograms of this step's batch; a grid of one face stops the run. */
    private void sample(long step, StepDraws.Batch batch, Summaries summaries) {
        Path file = run.sampleFile(step);
        float[] sampled = generate(grid.z(), grid.y(), grid.count());
        if (runtime.divergence().collapsePatience() > 0) {
            var collapsed = collapse.checkGrid(step, sampled, grid.count());
            if (collapsed.isPresent()) throw collapsed.get();
        }
        int s = data.imageSize();
        sampleWriter.write(sampled, grid, s, file);
        TrainingSummaries.samples(summaries, step, sampled, grid, s);
        TrainingSummaries.histograms(summaries, step, session, net, batch, options.batch(), s, yDim, zDim);
        summaries.flush();
        listener.sampled(step, file);
    }

    private void checkpoint(long step) {
        last = checkpoints.save(session, step);
        listener.checkpointed(step, last.dir());
    }

    /** G(z, y) of {@code n} faces from the sampling G (the averaged one, if any). */
    private float[] generate(float[] z, float[] y, int n) {
        try (TFloat32 zt = Tensors.matrix(n, zDim, z); TFloat32 yt = Tensors.matrix(n, yDim, y);
             Result r = session.runner().feed(net.genZ, zt).feed(net.genY, yt).fetch(net.samples).run()) {
            return Tensors.read((TFloat32) r.get(0));
        }
    }
}
