package org.facegan.train;

import java.nio.file.Path;
import org.facegan.data.FaceDataset;
import org.facegan.io.AtomicFiles;
import org.facegan.model.Devices;
import org.facegan.model.Sessions;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * Trains a run: holds its lock, resumes it from its last complete checkpoint (same step counter, weights, Adam
 * state and derived random streams) and, when training diverges, stops or rolls back as {@link DivergencePolicy}
 * says. The steps themselves are {@link TrainingLoop}'s: per step ({@link TrainingStep}) a D update on a real batch
 * and a batch of G(z, y), then, in one session run, a G update with fresh z and an E update on G's images; with
 * {@code --reuse-fakes}, all three in one run on the D update's fake batch.
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

    /** What one training attempt needs from the trainer. */
    record Context(TrainOptions options, FaceDataset data, RunDirectory run, SampleWriter sampleWriter, Runtime runtime) {}

    /** One attempt at {@code learningRate}: builds the graph, resumes from the latest checkpoint and trains on. */
    private Checkpoints.Checkpoint train(TrainingListener listener, Checkpoints checkpoints, float learningRate) {
        try (Graph graph = new Graph()) {
            TrainingGraph net = new TrainingGraph(graph, options.withLearningRate(learningRate),
                    data.attributeNames().size(), runtime.devices());
            try (Session session = Sessions.open(graph, options.threads(), runtime.devices())) {
                var latest = checkpoints.latest();
                latest.ifPresent(c -> checkpoints.restore(session, c));
                long step = latest.map(Checkpoints.Checkpoint::step).orElse(0L);
                listener.started(step, options.steps(), latest.isPresent());
                if (step >= options.steps()) return latest.get();
                var context = new Context(options, data, run, sampleWriter, runtime);
                return new TrainingLoop(context, session, net, checkpoints, latest.orElse(null), listener, learningRate)
                        .run(step);
            }
        }
    }
}
