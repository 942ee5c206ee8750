package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facegan.testing.FloatArrays.assertCloseAfterReordering;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.testing.Fixtures;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * {@code --reuse-fakes} (one session run a step, G's phase on the D phase's fake batch) is the two-run step with
 * G's z and y equal to the D phase's: after several steps every weight, Adam slot, batch-norm statistic and the
 * averaged G agree, and so do the losses; G's forward pass is built once.
 */
class ReusedFakesTest {
    static final int B = 8, Y = 3;
    /**
     * The same kernels on the same inputs, so no difference at all unless TensorFlow's graph rewrites fuse ops
     * differently in the two graphs (G's batch has more consumers with reused fakes), which reorders sums of at most
     * this many terms (the 16x16 layers' filter gradients and batch statistics): {@link Tolerance#reorderedComputation}
     * of it. Measured on an AMD EPYC: bit for bit. The bound was 1e-5 (168 roundoffs) before it was derived; now 362.
     */
    static final long LARGEST_SUM = B * 16 * 16;
    // every term that reads G's batch: mismatch, auxiliary, E's reconstruction through G, and an averaged G
    static final TrainOptions OPTIONS = Fixtures.graphOptions().learningRate(2e-4f).encoderRecon(0.5f)
            .generatorAverage(0.9f).seed(5).build();

    @Test
    void oneRunOnTheSameFakesEqualsTheTwoRunStepOnThoseFakes() {
        try (Graph plainGraph = new Graph(); Graph reusedGraph = new Graph()) {
            TrainingGraph plain = new TrainingGraph(plainGraph, OPTIONS, Y);
            TrainingGraph reused = new TrainingGraph(reusedGraph, OPTIONS.toBuilder().reuseFakes(true).build(), Y);
            try (Session plainSession = Sessions.open(plainGraph, 1); Session reusedSession = Sessions.open(reusedGraph, 1)) {
                SplittableRandom random = new SplittableRandom(11);
                for (int step = 0; step < 3; step++) {
                    try (Inputs in = new Inputs(random)) {
                        float[] plainLosses = new float[3], reusedLosses = new float[3];
                        try (Result d = in.fed(plainSession.runner(), plain).addTarget(plain.dTrain).fetch(plain.dLoss).run();
                             Result g = in.fed(plainSession.runner(), plain).feed(plain.genZ, in.z).feed(plain.genY, in.y)
                                     .addTarget(plain.gTrain).addTarget(plain.eTrain).fetch(plain.gLoss).fetch(plain.eLoss).run()) {
                            plainLosses = new float[] {scalar(d, 0), scalar(g, 0), scalar(g, 1)};
                        }
                        try (Result r = in.fed(reusedSession.runner(), reused).addTarget(reused.dTrain)
                                .addTarget(reused.gTrain).addTarget(reused.eTrain)
                                .fetch(reused.dLoss).fetch(reused.gLoss).fetch(reused.eLoss).run()) {
                            reusedLosses = new float[] {scalar(r, 0), scalar(r, 1), scalar(r, 2)};
                        }
                        assertCloseAfterReordering("losses at step " + step, plainLosses, reusedLosses, LARGEST_SUM);
                    }
                }
                Map<String, float[]> expected = Fixtures.allVariables(plainSession), actual = Fixtures.allVariables(reusedSession);
                assertThat(actual.keySet()).isEqualTo(expected.keySet());
                assertThat(expected.keySet()).anyMatch(n -> n.endsWith("-m")).anyMatch(n -> n.endsWith("_mean"))
                        .anyMatch(n -> n.startsWith(org.facegan.model.Generator.AVERAGE_PREFIX));
                for (String name : expected.keySet()) assertCloseAfterReordering(name, expected.get(name), actual.get(name), LARGEST_SUM);
            }
            assertThat(opsUnder(plainGraph, "g_phase/G/")).isNotEmpty();
            assertThat(opsUnder(reusedGraph, "g_phase/G/")).isEmpty();
        }
    }

    private static List<String> opsUnder(Graph graph, String prefix) {
        List<String> names = new ArrayList<>();
        graph.operations().forEachRemaining(op -> {
            if (op.name().startsWith(prefix)) names.add(op.name());
        });
        return names;
    }

    private static float scalar(Result r, int i) {
        return ((TFloat32) r.get(i)).getFloat();
    }

    /** A batch of real faces and one draw of z and y for G. */
    private static final class Inputs implements AutoCloseable {
        final TFloat32 x, realY, z, y;

        Inputs(SplittableRandom random) {
            int s = Fixtures.TINY.imageSize(), zDim = Fixtures.TINY.zDim();
            float[] images = new float[B * s * s * 3], real = new float[B * Y], zs = new float[B * zDim], ys = new float[B * Y];
            for (int i = 0; i < images.length; i++) images[i] = (float) random.nextDouble(-1, 1);
            for (int i = 0; i < real.length; i++) real[i] = random.nextInt(2);
            for (int i = 0; i < ys.length; i++) ys[i] = random.nextInt(2);
            StepDraws.gaussian(random, zs);
            x = Tensors.of(Shape.of(B, s, s, 3), images);
            realY = Tensors.matrix(B, Y, real);
            z = Tensors.matrix(B, zDim, zs);
            y = Tensors.matrix(B, Y, ys);
        }

        Session.Runner fed(Session.Runner runner, TrainingGraph net) {
            return runner.feed(net.realImages, x).feed(net.realY, realY).feed(net.fakeZ, z).feed(net.fakeY, y);
        }

        @Override
        public void close() {
            for (TFloat32 t : List.of(x, realY, z, y)) t.close();
        }
    }
}
