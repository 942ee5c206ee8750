package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.facegan.model.Generator;
import org.facegan.model.Mode;
import org.facegan.model.Params;
import org.facegan.model.Sessions;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Adam's bias correction is that of the step being taken, for every variable. */
class OrderedAdamTest {
    static final float LR = 1e-3f;

    @Test
    void thePowersMoveOnlyAfterEveryVariablesUpdate() {
        try (Graph graph = new Graph()) {
            Generator g = new GeneratorStep(graph).g;
            Set<GraphOperation> applies = new HashSet<>();
            graph.operations().forEachRemaining(op -> {
                if (op.type().equals("ApplyAdam")) applies.add((GraphOperation) op);
            });
            assertThat(applies).hasSize(g.params().trainable().size());
            int[] powerUpdates = {0};
            graph.operations().forEachRemaining(op -> {
                GraphOperation assign = (GraphOperation) op;
                if (assign.type().equals("Assign") && assign.input(0).op().name().contains("_power")
                        && assign.numControlInputs() > 0) { // not the initialiser
                    assertThat(assign.controlInputs()).as(assign.name()).containsAll(applies);
                    powerUpdates[0]++;
                }
            });
            assertThat(powerUpdates[0]).isEqualTo(2);
        }
    }

    @Test
    void theFirstStepMovesEveryWeightByTheLearningRate() {
        // at t = 1, Adam moves w by lr * g / (|g| + eps / sqrt(1 - beta2)): lr wherever |g| >> 3e-6; with t = 2's
        // bias correction (the race OrderedAdam removes) by lr * sqrt(1 + beta2) / (1 + beta1) = 0.94 lr instead
        try (Graph graph = new Graph()) {
            GeneratorStep t = new GeneratorStep(graph);
            Generator g = t.g;
            try (var session = Sessions.open(graph, 0);
                 FixedBatch batch = new FixedBatch(8, Fixtures.TINY.imageSize(), 4, Fixtures.TINY.zDim(), 5)) {
                Map<String, float[]> before = Fixtures.values(session, g.params().trainable());
                session.runner().feed(t.z, batch.z).feed(t.y, batch.y).addTarget(t.step).run().close();
                Map<String, float[]> after = Fixtures.values(session, g.params().trainable());
                for (String name : before.keySet()) {
                    float[] b = before.get(name), a = after.get(name);
                    double[] moved = new double[b.length];
                    for (int i = 0; i < b.length; i++) moved[i] = Math.abs(a[i] - b[i]);
                    Arrays.sort(moved);
                    assertThat(moved[moved.length / 2] / LR).as("median |update| / lr of %s", name)
                            .isBetween(0.99, 1.001);
                }
            }
        }
    }

    /** G and one Adam step on a loss large enough that every gradient is far above eps / sqrt(1 - beta2) = 3e-6. */
    private static final class GeneratorStep {
        final Generator g;
        final Placeholder<TFloat32> z, y;
        final Op step;

        GeneratorStep(Graph graph) {
            Ops tf = Ops.create(graph);
            g = new Generator(new Params(tf, "G", 3), Fixtures.TINY, 4);
            z = tf.placeholder(TFloat32.class);
            y = tf.placeholder(TFloat32.class);
            Operand<TFloat32> loss = tf.sum(tf.math.squaredDifference(g.apply(tf, z, y, Mode.TRAIN), tf.constant(0.5f)),
                    tf.constant(new int[] {0, 1, 2, 3}));
            step = AdamStep.build(tf, graph, "g_adam", LR, 0.5f, 0.999f, loss, g, List.of());
        }
    }
}
