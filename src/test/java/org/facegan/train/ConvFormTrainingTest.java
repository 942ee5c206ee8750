package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.facegan.testing.FloatArrays.assertCloseAfterReordering;

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
    /**
     * Terms in the largest sums (the 16x16 layers' kernel gradients and batch statistics), which the forms take in
     * other orders: the weights may drift apart by {@link Tolerance#reorderedComputation} of it.
     */
    static final long LARGEST_SUM = B * 16 * 16;
    static final TrainOptions OPTIONS = Fixtures.graphOptions().learningRate(2e-4f).encoderRecon(0.5f).seed(5).build();

    @ParameterizedTest
    @EnumSource(value = ConvForm.class, names = "DIRECT", mode = EnumSource.Mode.EXCLUDE)
    void stepsInAnotherFormReachTheSameWeights(ConvForm form) {
        Map<String, float[]> direct = train(OPTIONS), formed = train(OPTIONS.toBuilder().conv(form.toString()).build());
        assertThat(formed.keySet()).isEqualTo(direct.keySet());
        assertThat(direct.keySet()).anyMatch(n -> n.endsWith("-m")).anyMatch(n -> n.endsWith("_mean"));
        for (String name : direct.keySet()) assertCloseAfterReordering(form + " " + name, direct.get(name), formed.get(name), LARGEST_SUM);
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
}
