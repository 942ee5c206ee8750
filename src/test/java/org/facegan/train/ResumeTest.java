package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.facegan.data.FaceDataset;
import org.facegan.model.Network;
import org.facegan.model.Sessions;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** A run stopped after a checkpoint and started again ends exactly where an uninterrupted run ends. */
class ResumeTest {
    static final FaceDataset DATA = Fixtures.noiseFaces(40, 32, 3);
    static final Trainer.SampleWriter NO_SAMPLES = (images, grid, size, file) -> {};

    @Test
    void checkpointRestoresEveryVariableBitForBit(@TempDir Path tmp) {
        TrainOptions options = Fixtures.options("noise", Fixtures.TINY, 2, 1);
        var checkpoint = new Trainer(options, DATA, new RunDirectory(tmp.resolve("run")), NO_SAMPLES)
                .train(TrainingListener.NONE);
        Map<String, float[]> saved;
        try (Graph graph = new Graph()) {
            new TrainingGraph(graph, options.toBuilder().seed(123).build(), DATA.attributeNames().size());
            try (Session session = Sessions.open(graph, 1)) {
                // the trained values, read straight from the checkpoint files by TensorFlow's restore op
                session.restore(checkpoint.prefix());
                saved = Fixtures.allVariables(session);
                // a second checkpoint of that session, restored into a new graph and session
                var again = new Checkpoints(tmp.resolve("again"), 1).save(session, 2);
                try (Graph other = new Graph()) {
                    new TrainingGraph(other, options.toBuilder().seed(456).build(), DATA.attributeNames().size());
                    try (Session fresh = Sessions.open(other, 1)) {
                        fresh.restore(again.prefix());
                        Map<String, float[]> restored = Fixtures.allVariables(fresh);
                        Fixtures.assertSameValues(saved, restored);
                    }
                }
            }
        }
        // weights, batch-norm statistics and Adam's moments and powers, for all three networks
        assertThat(saved.keySet()).contains("G_project_w", "D_conv2_bn_mean", "E_z_b")
                .anyMatch(n -> n.startsWith("G_project_w") && n.endsWith("-m"))
                .anyMatch(n -> n.startsWith("D_logit_w") && n.endsWith("-v"))
                .anyMatch(n -> n.contains("beta1_power"));
    }

    @Test
    void resumedRunContinuesFromItsCheckpoint(@TempDir Path tmp) throws Exception {
        TrainOptions six = withCheckpointEvery(Fixtures.options("noise", Fixtures.TINY, 6, 1), 3);
        TrainOptions three = withSteps(six, 3);

        RunDirectory interrupted = new RunDirectory(tmp.resolve("interrupted"));
        var first = new Trainer(three, DATA, interrupted, NO_SAMPLES).train(TrainingListener.NONE);
        assertThat(first.step()).isEqualTo(3);
        Map<String, float[]> atThree = variables(first, three);

        List<Long> starts = new ArrayList<>();
        var resumed = new Trainer(six, DATA, interrupted, NO_SAMPLES).train(new TrainingListener() {
            @Override
            public void started(long startStep, long total, boolean wasResumed) {
                starts.add(startStep);
                assertThat(wasResumed).isTrue();
            }
        });
        assertThat(starts).containsExactly(3L);
        assertThat(resumed.step()).isEqualTo(6);

        var uninterrupted = new Trainer(six, DATA, new RunDirectory(tmp.resolve("straight")), NO_SAMPLES)
                .train(TrainingListener.NONE);
        Map<String, float[]> a = variables(resumed, six), b = variables(uninterrupted, six);
        // bit for bit: TensorFlow's kernels repeat exactly, and nothing in a step races (OrderedAdam)
        Fixtures.assertSameValues(b, a);
        double lr = six.learningRate();
        // and the resumed steps did train: each of Adam's first steps moves a weight by about lr (lr·m̂/(√v̂ + ε), with
        // m̂/√v̂ near ±1 while the gradients keep their signs), so three of them move the mean weight by more than one lr
        assertThat(Fixtures.meanAbsoluteDifference(a, atThree)).isGreaterThan(lr);

        // metrics.csv has each logged step once, in order
        List<String> rows = Files.readAllLines(interrupted.metricsFile());
        assertThat(rows.get(0)).isEqualTo(MetricsLog.HEADER);
        assertThat(rows.subList(1, rows.size())).extracting(r -> r.split(",")[0]).containsExactly("3", "6");
    }

    @Test
    void runWithDifferentOptionsIsRefusedNamingThem(@TempDir Path tmp) {
        TrainOptions options = Fixtures.options("noise", Fixtures.TINY, 2, 1);
        RunDirectory run = new RunDirectory(tmp.resolve("run"));
        new Trainer(options, DATA, run, NO_SAMPLES).train(TrainingListener.NONE);
        TrainOptions otherLr = options.toBuilder().steps(4).learningRate(1e-3f).build();
        assertThatThrownBy(() -> run.checkCompatible(otherLr))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learningRate");
        var otherModel = new org.facegan.model.ModelConfig("tiny", "tests", 32, 16, 16, 8, 8, 4, 16);
        assertThatThrownBy(() -> new Trainer(withModel(options, otherModel), DATA, run, NO_SAMPLES).train(TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model.ngf");
    }

    /** Every variable of the training graph (weights, statistics, Adam slots) as stored in a checkpoint. */
    static Map<String, float[]> variables(Checkpoints.Checkpoint checkpoint, TrainOptions options) {
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, options.toBuilder().seed(99).build(), DATA.attributeNames().size());
            List<Variable<TFloat32>> vars = new ArrayList<>();
            for (Network n : List.of(t.generator, t.discriminator, t.encoder)) {
                vars.addAll(n.params().trainable());
                vars.addAll(n.params().statistics());
            }
            try (Session session = Sessions.open(graph, 1)) {
                session.restore(checkpoint.prefix());
                return Fixtures.values(session, vars);
            }
        }
    }

    static TrainOptions withSteps(TrainOptions o, long steps) {
        return o.toBuilder().steps(steps).build();
    }

    static TrainOptions withCheckpointEvery(TrainOptions o, long every) {
        return o.toBuilder().checkpointEvery(every).build();
    }

    static TrainOptions withModel(TrainOptions o, org.facegan.model.ModelConfig m) {
        return o.toBuilder().model(m).build();
    }
}
