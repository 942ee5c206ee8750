package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.facegan.model.ConvForm;
import org.facegan.model.Sessions;
import org.facegan.testing.Fixtures;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * {@code --conv FORM} changes speed only: the same training steps (D, G and E updates on the same batches) with
 * every stride-2 layer in another form reach the weights, Adam slots and moving statistics of {@code --conv direct}
 * within float32 rounding.
 */
class ConvFormTrainingTest {
    static final int B = 8, Y = 3, STEPS = 3;
    static final TrainOptions OPTIONS = Fixtures.graphOptions().learningRate(2e-4f).encoderRecon(0.5f).seed(5).build();

    @ParameterizedTest
    @EnumSource(value = ConvForm.class, names = "DIRECT", mode = EnumSource.Mode.EXCLUDE)
    void stepsInAnotherFormReachTheSameWeights(ConvForm form) {
        Map<String, float[]> direct = train(OPTIONS), formed = train(OPTIONS.toBuilder().conv(form.toString()).build());
        assertThat(formed.keySet()).isEqualTo(direct.keySet());
        assertThat(direct.keySet()).anyMatch(n -> n.endsWith("-m")).anyMatch(n -> n.endsWith("_mean"));
        for (String name : direct.keySet()) assertClose(form + " " + name, direct.get(name), formed.get(name));
    }

    /** Every variable after {@link #STEPS} steps of D, G and E on fixed batches, one thread (deterministic kernels). */
    private static Map<String, float[]> train(TrainOptions options) {
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, options, Y);
            try (Session session = Sessions.open(graph, 1)) {
                for (int step = 0; step < STEPS; step++) {
                    try (FixedBatch b = new FixedBatch(B, Fixtures.TINY.imageSize(), Y, Fixtures.TINY.zDim(), 11 + step)) {
                        session.runner().feed(t.realImages, b.images).feed(t.realY, b.y).feed(t.fakeZ, b.z)
                                .feed(t.fakeY, b.y).addTarget(t.dTrain).run().close();
                        session.runner().feed(t.realImages, b.images).feed(t.realY, b.y).feed(t.genZ, b.z)
                                .feed(t.genY, b.y).addTarget(t.gTrain).addTarget(t.eTrain).run().close();
                    }
                }
                return Fixtures.allVariables(session);
            }
        }
    }

    /**
     * |a - b| <= t (1 + max |a|), t the drift of a computation whose largest sums have B·16·16 terms (the 16x16
     * layers' kernel gradients and batch statistics) taken in other orders ({@link Tolerance#reorderedComputation}).
     */
    private static void assertClose(String name, float[] expected, float[] actual) {
        assertThat(actual).as(name).hasSameSizeAs(expected);
        double scale = 1, worst = 0;
        for (float v : expected) scale = Math.max(scale, 1 + Math.abs(v));
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertThat(worst).as(name + ": largest difference").isLessThanOrEqualTo(Tolerance.reorderedComputation(B * 16 * 16) * scale);
    }
}
