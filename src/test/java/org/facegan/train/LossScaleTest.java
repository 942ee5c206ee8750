package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import org.facegan.model.BatchStatistics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.facegan.model.Generator;
import org.facegan.model.Mode;
import org.facegan.model.Params;
import org.facegan.model.Precision;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * fp16's dynamic loss scaling, run in float32 so that it is fast on a CPU: the scaled update equals the unscaled
 * one, a step with a non-finite gradient changes no weight and halves the scale, and finite steps grow it.
 */
class LossScaleTest {
    static final int B = 8, Y = 4, GROWTH = 3;

    /** G and one Adam step on mean((G(z, y) - 0.5)^2), with or without loss scaling. */
    private static final class Setup implements AutoCloseable {
        final Graph graph = new Graph();
        final Generator g;
        final Placeholder<TFloat32> z, y;
        final Op step;
        final LossScale scale;
        final Session session;

        Setup(LossScale.Settings settings) {
            Ops tf = Ops.create(graph);
            g = new Generator(new Params(tf, "G", 3), Fixtures.TINY, Y);
            z = tf.placeholder(TFloat32.class);
            y = tf.placeholder(TFloat32.class);
            BatchStatistics statistics = new BatchStatistics();
            Operand<TFloat32> out = g.apply(tf, z, y, Mode.recording(statistics));
            Operand<TFloat32> loss = tf.math.mean(tf.math.squaredDifference(out, tf.constant(0.5f)),
                    tf.constant(new int[] {0, 1, 2, 3}));
            scale = settings == null ? null : new LossScale(tf, "g_adam", settings);
            step = AdamStep.build(tf, graph, "g_adam", tf.constant(1e-3f), 0.5f, 0.999f, loss, g,
                    statistics.updates(tf), List.of(), scale, false).update();
            session = Sessions.open(graph, 1);
        }

        void run(FixedBatch batch, boolean poisoned) {
            float[] zs = Tensors.read(batch.z);
            if (poisoned) zs[0] = Float.NaN;
            try (TFloat32 zt = Tensors.matrix(B, Fixtures.TINY.zDim(), zs)) {
                session.runner().feed(z, zt).feed(y, batch.y).addTarget(step).run().close();
            }
        }

        Map<String, float[]> weights() {
            return Fixtures.values(session, g.params().trainable());
        }

        float read(Variable<TFloat32> v) {
            try (Result r = session.runner().fetch(v).run()) {
                return Tensors.read((TFloat32) r.get(0))[0];
            }
        }

        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }

    @Test
    void scaledUpdatesEqualUnscaledOnesAndTheScaleGrowsAfterFiniteSteps() {
        try (Setup plain = new Setup(null); Setup scaled = new Setup(new LossScale.Settings(1024f, GROWTH));
             FixedBatch batch = new FixedBatch(B, Fixtures.TINY.imageSize(), Y, Fixtures.TINY.zDim(), 5)) {
            for (int i = 0; i < GROWTH; i++) {
                plain.run(batch, false);
                scaled.run(batch, false);
            }
            // bit for bit: scaling by a power of two is exact, and so is every kernel given the same inputs
            Fixtures.assertSameValues(plain.weights(), scaled.weights());
            assertThat(scaled.read(scaled.scale.scale)).isEqualTo(2048f);
            assertThat(scaled.read(scaled.scale.goodSteps)).isEqualTo(0f);
            scaled.run(batch, false);
            assertThat(scaled.read(scaled.scale.goodSteps)).isEqualTo(1f);
        }
    }

    @Test
    void theGradientsForTheUpdateAreThoseOfTheUnscaledLoss() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Generator g = new Generator(new Params(tf, "G", 3), Fixtures.TINY, Y);
            Placeholder<TFloat32> z = tf.placeholder(TFloat32.class), y = tf.placeholder(TFloat32.class);
            Operand<TFloat32> loss = tf.math.mean(tf.math.squaredDifference(g.apply(tf, z, y, Mode.TRAIN),
                    tf.constant(0.5f)), tf.constant(new int[] {0, 1, 2, 3}));
            LossScale scale = new LossScale(tf, "g_adam", new LossScale.Settings(65536f, GROWTH));
            Output<?>[] wrt = g.params().trainable().stream().map(Variable::asOutput).toArray(Output[]::new);
            Output<?>[] plain = graph.addGradients(loss.asOutput(), wrt);
            LossScale.Gated gated = scale.gate(tf, graph.addGradients(scale.scaled(tf, loss).asOutput(), wrt));
            try (Session session = Sessions.open(graph, 1);
                 FixedBatch batch = new FixedBatch(B, Fixtures.TINY.imageSize(), Y, Fixtures.TINY.zDim(), 5)) {
                Session.Runner runner = session.runner().feed(z, batch.z).feed(y, batch.y);
                for (Output<?> o : plain) runner.fetch(o);
                for (Output<TFloat32> o : gated.gradients()) runner.fetch(o);
                try (Result r = runner.run()) {
                    for (int i = 0; i < plain.length; i++) {
                        float[] expected = Tensors.read((TFloat32) r.get(i)), got = Tensors.read((TFloat32) r.get(plain.length + i));
                        double error = 0, norm = 0;
                        for (int k = 0; k < expected.length; k++) {
                            error += (got[k] - expected[k]) * (got[k] - expected[k]);
                            norm += expected[k] * expected[k];
                        }
                        // exactly: the scale is a power of two and every op of the backward pass is linear in the
                        // incoming gradient, so each value is the unscaled one times 2^16, with the same roundings
                        assertThat(Math.sqrt(error / norm)).as("relative error of %s", wrt[i].op().name()).isEqualTo(0);
                    }
                }
            }
        }
    }

    @Test
    void aStepWithANonFiniteGradientChangesNoWeightAndHalvesTheScale() {
        try (Setup scaled = new Setup(new LossScale.Settings(1024f, GROWTH));
             FixedBatch batch = new FixedBatch(B, Fixtures.TINY.imageSize(), Y, Fixtures.TINY.zDim(), 5)) {
            scaled.run(batch, false);
            Map<String, float[]> before = Fixtures.allVariables(scaled.session);
            scaled.run(batch, true);
            Map<String, float[]> after = Fixtures.allVariables(scaled.session);
            for (var v : scaled.g.params().trainable()) {
                String name = v.op().name();
                assertThat(Arrays.equals(before.get(name), after.get(name))).as("%s after a skipped step", name).isTrue();
            }
            before.keySet().stream().filter(k -> k.startsWith("g_adam") && !k.contains("loss_scale")).forEach(k ->
                    assertThat(after.get(k)).as("Adam's %s after a skipped step", k).containsExactly(before.get(k)));
            for (String power : List.of("beta1_power", "beta2_power")) {
                assertThat(after.get(power)).as("Adam's %s after a skipped step", power).containsExactly(before.get(power));
            }
            assertThat(scaled.read(scaled.scale.scale)).isEqualTo(512f);
            assertThat(scaled.read(scaled.scale.goodSteps)).isEqualTo(0f);
            scaled.run(batch, false); // and training goes on
            assertThat(Arrays.equals(after.get("G_rgb_w"), Fixtures.allVariables(scaled.session).get("G_rgb_w"))).isFalse();
        }
    }

    @Test
    void fp16TrainingScalesItsLossesAndBf16AndFp32DoNot() {
        assertThat(Precision.FP16.scalesLoss()).isTrue();
        assertThat(Precision.BF16.scalesLoss()).isFalse();
        assertThat(Precision.FP32.scalesLoss()).isFalse();
        for (Precision p : Precision.values()) {
            try (Graph graph = new Graph()) {
                new TrainingGraph(graph, Fixtures.graphOptions().precision(p).seed(3).build(), Y);
                assertThat(countOps(graph, "_loss_scale")).as(p.toString()).isEqualTo(p.scalesLoss() ? 3 : 0); // D, G and E
            }
        }
    }

    private static long countOps(Graph graph, String suffix) {
        long[] n = {0};
        graph.operations().forEachRemaining(op -> {
            if (op.type().startsWith("Variable") && op.name().endsWith(suffix)) n[0]++;
        });
        return n[0];
    }
}
