package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.SplittableRandom;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * {@code --g-skip on}: with the seed's RGB weights at 0, G draws exactly what G without the skip draws; with other
 * weights, what changes before the tanh is a bilinear upsampling of a 4x4 image: linear between the 4x4 pixels'
 * centres along every row, flat beyond the outer ones.
 */
class GeneratorSkipTest {
    static final int N = 3, Y = 3, S = 32;

    @Test
    void theSkipAddsA4x4ImageUpsampledBilinearly() {
        ModelConfig plainConfig = Fixtures.TINY, skipConfig = Fixtures.TINY.withGeneratorSkip(true);
        SplittableRandom random = new SplittableRandom(3);
        float[] z = new float[N * plainConfig.zDim()], y = new float[N * Y];
        for (int i = 0; i < z.length; i++) z[i] = (float) random.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = random.nextInt(2);
        float[] plain = draw(plainConfig, z, y, null);
        float[] zeroSkip = draw(skipConfig, z, y, 0f), skipped = draw(skipConfig, z, y, 0.5f);
        for (int i = 0; i < plain.length; i++) assertThat(zeroSkip[i]).as("element %d", i).isCloseTo(plain[i], offset(1e-7f));

        double largest = 0;
        for (int n = 0; n < N; n++) {
            for (int row = 0; row < S; row++) {
                for (int c = 0; c < 3; c++) {
                    double[] d = new double[S];
                    for (int x = 0; x < S; x++) {
                        int i = ((n * S + row) * S + x) * 3 + c;
                        d[x] = atanh(skipped[i]) - atanh(zeroSkip[i]);
                        largest = Math.max(largest, Math.abs(d[x]));
                    }
                    for (int x = 1; x < S - 1; x++) {
                        // the 4x4 pixels' centres fall at 3.5, 11.5, 19.5 and 27.5 (half-pixel centres, x8)
                        if (x % 8 == 3 || x % 8 == 4) continue;
                        assertThat(d[x + 1] - 2 * d[x] + d[x - 1]).as("image %d row %d x %d channel %d", n, row, x, c)
                                .isCloseTo(0, offset(2e-4));
                    }
                }
            }
        }
        assertThat(largest).as("the skip changes the image").isGreaterThan(0.01);
    }

    /** G's faces; with {@code seedWeight} non-null, the skip's weights set to it times N(0, 1) (0: all zero). */
    private static float[] draw(ModelConfig config, float[] z, float[] y, Float seedWeight) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Generator generator = new Generator(new Params(tf, Generator.PREFIX, 7), config, Y);
            Placeholder<TFloat32> zIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, config.zDim())));
            Placeholder<TFloat32> yIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, Y)));
            Operand<TFloat32> images = generator.apply(tf, zIn, yIn, Mode.INFERENCE);
            List<Variable<TFloat32>> skip = generator.params().trainable().stream()
                    .filter(v -> v.op().name().contains("seed_rgb")).toList();
            assertThat(skip).hasSize(seedWeight == null ? 0 : 1);
            Operand<?> set = seedWeight == null ? null : tf.assign(skip.get(0), tf.math.mul(
                    tf.random.statelessRandomNormal(tf.constant(new long[] {config.ngf() << (config.stages() - 1), 3}),
                            tf.constant(new long[] {1, 2})), tf.constant(seedWeight)));
            try (Session s = Sessions.open(g, 1);
                 TFloat32 zt = Tensors.matrix(N, config.zDim(), z); TFloat32 yt = Tensors.matrix(N, Y, y)) {
                if (set != null) s.runner().addTarget(set).run();
                try (Result r = s.runner().feed(zIn, zt).feed(yIn, yt).fetch(images).run()) {
                    return Tensors.read((TFloat32) r.get(0));
                }
            }
        }
    }

    private static double atanh(float v) {
        return 0.5 * Math.log((1 + v) / (1.0 - v));
    }
}
