package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import org.facegan.model.BatchStatistics;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.facegan.model.Generator;
import org.facegan.model.Mode;
import org.facegan.model.Params;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.testing.Fixtures;
import org.facegan.testing.NetworkRoundoff;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The averaged G trails the trained one by the documented rule, and samples with its own standing statistics. */
class GeneratorAverageTest {
    static final int B = 8, Y = 4;
    static final float DECAY = 0.9f;

    @Test
    void startsAtGsWeightsAndMovesByTheWarmedUpDecayAfterEachGUpdate() {
        var model = Fixtures.TINY;
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().model(model).generatorAverage(DECAY).seed(3).build(), Y);
            List<Variable<TFloat32>> trained = t.generator.params().trainable();
            List<Variable<TFloat32>> averaged = t.averagedGenerator.params().trainable();
            assertThat(averaged).hasSameSizeAs(trained);
            try (Session session = Sessions.open(graph, 1); FixedBatch batch = new FixedBatch(B, model.imageSize(), Y, model.zDim(), 5)) {
                float[][] average = new float[trained.size()][];
                Map<String, float[]> w = Fixtures.values(session, trained), a = Fixtures.values(session, averaged);
                for (int i = 0; i < trained.size(); i++) {
                    average[i] = a.get(averaged.get(i).op().name());
                    assertThat(average[i]).as("initial %s", averaged.get(i).op().name())
                            .containsExactly(w.get(trained.get(i).op().name()));
                }
                // TF rounds to float32 5 times a step (β_t's division, 1 − β_t, w̄ − w, the product, the assignment),
                // this reference once: they part by at most u|w̄| twice (the assignments) and u|w̄ − w| twice (the
                // difference and the product, β_t's error included), under 4u of the variable's largest |w̄| + |w|.
                // Each step keeps a share β_t ≤ DECAY of the difference so far, so these add up to at most
                // 1/(1 − DECAY) steps' worth.
                double[] scale = new double[trained.size()];
                for (int step = 1; step <= 30; step++) {
                    session.runner().feed(t.genZ, batch.z).feed(t.genY, batch.y).addTarget(t.gTrain).run().close();
                    double decay = Math.min(DECAY, (1.0 + step) / (10.0 + step));
                    w = Fixtures.values(session, trained);
                    a = Fixtures.values(session, averaged);
                    for (int i = 0; i < trained.size(); i++) {
                        float[] now = w.get(trained.get(i).op().name()), got = a.get(averaged.get(i).op().name());
                        scale[i] = Math.max(scale[i], largest(now) + largest(got));
                        float rounding = (float) (4 * Tolerance.FLOAT32 * scale[i] / (1 - DECAY));
                        for (int k = 0; k < now.length; k++) {
                            average[i][k] = (float) (average[i][k] - (1 - decay) * (average[i][k] - now[k]));
                            assertThat(got[k]).as("step %d, %s[%d]", step, averaged.get(i).op().name(), k)
                                    .isCloseTo(average[i][k], within(rounding));
                        }
                    }
                }
                // after 30 updates with G moving at 1e-3 a step, the average differs from G but not from G's path (the
                // check above): a claim, with a wide margin both ways. The average trails G (measured: 3e-4 on
                // average) while a copy of G would differ by 0, and 1e-5 is far above rounding (u·|w| ≈ 1e-8)
                assertThat(Fixtures.meanAbsoluteDifference(w, renamed(a))).isGreaterThan(1e-5);
            }
        }
    }

    @Test
    void withoutAnAverageTheTrainedGSamplesAndNoAveragedVariablesExist() {
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().seed(3).build(), Y);
            assertThat(t.averagedGenerator).isNull();
            assertThat(t.averageStatistics).isNull();
            graph.operations().forEachRemaining(op ->
                    assertThat(op.name()).doesNotStartWith(Generator.AVERAGE_PREFIX + "_"));
        }
    }

    /** Standing statistics: inference on the batch they were set from reproduces G on that batch in training mode. */
    @Test
    void resetStatisticsAreThoseOfTheBatchTheyWereTakenFrom() {
        var model = Fixtures.TINY;
        int n = 64;
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Generator g = new Generator(new Params(tf, "G", 3), model, Y);
            Placeholder<TFloat32> z = tf.placeholder(TFloat32.class), y = tf.placeholder(TFloat32.class);
            BatchStatistics statistics = new BatchStatistics();
            Operand<TFloat32> onBatch = g.apply(tf, z, y, Mode.recording(statistics));
            Op reset = tf.withControlDependencies(statistics.resets(tf)).noOp();
            Operand<TFloat32> inference = g.apply(tf, z, y, Mode.INFERENCE);
            try (Session session = Sessions.open(graph, 1); FixedBatch batch = new FixedBatch(n, model.imageSize(), Y, model.zDim(), 9)) {
                float[] before = run(session, inference, z, y, batch);
                session.runner().feed(z, batch.z).feed(y, batch.y).addTarget(reset).run().close();
                float[] after = run(session, inference, z, y, batch), expected = run(session, onBatch, z, y, batch);
                double gapBefore = 0, gapAfter = 0;
                for (int i = 0; i < expected.length; i++) {
                    gapBefore = Math.max(gapBefore, Math.abs(before[i] - expected[i]));
                    gapAfter = Math.max(gapAfter, Math.abs(after[i] - expected[i]));
                }
                // the stored variance is the unbiased one (m − 1), batch normalisation's the biased one (m), for the
                // m = n·H·W values of each channel: each batch-norm layer's output shrinks by √(1 − 1/m), a relative
                // 1/(2m), which also shifts the next layer's mean by about as much again; tanh passes a relative change
                // of its input on as at most |p|·sech²(p) < 1 of it. The RGB layer's sub-pixel form (inference only)
                // reorders its sums; NetworkRoundoff bounds that. Measured 3.0e-4 of this 1.3e-3.
                double bessel = 0;
                for (int size = 4; size < model.imageSize(); size *= 2) bessel += 1.0 / (n * size * size);
                double bound = bessel + NetworkRoundoff.generator(model, Y);
                assertThat(gapAfter).isLessThan(bound);
                // and the initial statistics (mean 0, variance 1) are far from the batch's: a claim, measured 0.5
                assertThat(gapBefore).isGreaterThan(100 * gapAfter);
            }
        }
    }

    private static float[] run(Session session, Operand<TFloat32> out, Placeholder<TFloat32> z, Placeholder<TFloat32> y,
                               FixedBatch batch) {
        try (Result r = session.runner().feed(z, batch.z).feed(y, batch.y).fetch(out).run()) {
            return Tensors.read((TFloat32) r.get(0));
        }
    }

    private static double largest(float[] values) {
        double m = 0;
        for (float v : values) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static Map<String, float[]> renamed(Map<String, float[]> averaged) {
        var out = new java.util.HashMap<String, float[]>();
        averaged.forEach((k, v) -> out.put(Generator.PREFIX + k.substring(Generator.AVERAGE_PREFIX.length()), v));
        return out;
    }
}
