package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.junit.jupiter.api.Test;

/**
 * ProGAN's minibatch standard deviation: in training, every row gets the batch's standard deviation per feature,
 * averaged; G's gradient flows through it; inference reads its moving average, the same for a face alone or in a
 * batch.
 */
class MinibatchStddevTest {
    // 3 faces x 2 features; per feature the mean is 3 and 6, the biased variance 8/3 and 32/3
    private static final float[][] FEATURES = {{1, 2}, {3, 6}, {5, 10}};
    private static final double SD1 = Math.sqrt(8.0 / 3), SD2 = Math.sqrt(32.0 / 3), STDDEV = (SD1 + SD2) / 2;

    @Test
    void trainingAppendsTheBatchsStddevAndItsGradientReachesEveryFeature() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            MinibatchStddev layer = new MinibatchStddev(new Params(tf, "T", 1), "mbstd");
            Operand<TFloat32> f = tf.constant(FEATURES);
            BatchStatistics statistics = new BatchStatistics();
            Operand<TFloat32> out = layer.apply(tf, Towers.of(f), Mode.recording(statistics)).joined(tf);
            Operand<TFloat32> column = tf.slice(out, tf.constant(new int[] {0, 2}), tf.constant(new int[] {-1, 1}));
            Output<?>[] grad = g.addGradients("grad", new Output<?>[] {tf.sum(column, tf.constant(new int[] {0, 1})).asOutput()},
                    new Output<?>[] {f.asOutput()}, null);
            try (Session s = Sessions.open(g, 1); Result r = s.runner().fetch(out).fetch(grad[0]).run()) {
                float[] rows = Tensors.read((TFloat32) r.get(0));
                for (int i = 0; i < 3; i++) {
                    assertThat(rows[3 * i]).isEqualTo(FEATURES[i][0]);
                    assertThat(rows[3 * i + 1]).isEqualTo(FEATURES[i][1]);
                    assertThat((double) rows[3 * i + 2]).as("row %d", i).isCloseTo(STDDEV, offset(1e-5));
                }
                // d/df_ij of N·s, s = mean_j sd_j: (f_ij - mean_j) / (F·sd_j) (F = 2 features)
                float[] dF = Tensors.read((TFloat32) r.get(1));
                assertThat((double) dF[0]).isCloseTo((1 - 3) / (2 * SD1), offset(1e-5));
                assertThat((double) dF[5]).isCloseTo((10 - 6) / (2 * SD2), offset(1e-5));
                assertThat((double) dF[2]).isCloseTo(0, offset(1e-6));
            }
        }
    }

    @Test
    void inferenceReadsTheMovingAverageWhateverTheBatch() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            MinibatchStddev layer = new MinibatchStddev(new Params(tf, "T", 1), "mbstd");
            BatchStatistics statistics = new BatchStatistics();
            layer.apply(tf, Towers.of(tf.constant(FEATURES)), Mode.recording(statistics));
            var updates = statistics.updates(tf);
            Operand<TFloat32> alone = layer.apply(tf, Towers.of(tf.constant(new float[][] {{1, 2}})), Mode.INFERENCE).joined(tf);
            Operand<TFloat32> batch = layer.apply(tf, Towers.of(tf.constant(FEATURES)), Mode.INFERENCE).joined(tf);
            try (Session s = Sessions.open(g, 1)) {
                Session.Runner update = s.runner();
                updates.forEach(update::addTarget);
                update.run();
                try (Result r = s.runner().fetch(alone).fetch(batch).run()) {
                    float[] one = Tensors.read((TFloat32) r.get(0)), three = Tensors.read((TFloat32) r.get(1));
                    // one update from 0 with momentum 0.9
                    double moving = (1 - BatchNorm.MOMENTUM) * STDDEV;
                    assertThat((double) one[2]).isCloseTo(moving, offset(1e-6));
                    for (int i = 0; i < 3; i++) assertThat(three[3 * i + 2]).isEqualTo(one[2]);
                }
            }
        }
    }
}
