package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.SplittableRandom;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The transposed convolution's sub-pixel form (what G's RGB layer runs in inference) is the same function as the
 * stride-2 op, and so are its gradients (E's --encoder-recon loss backpropagates through it).
 */
class SubPixelTest {
    @ParameterizedTest
    @CsvSource({"2, 4, 3, 8", "3, 32, 3, 64", "2, 8, 5, 16"})
    void subPixelFormComputesTheSameImagesAndGradients(int n, int in, int out, int outSize) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Params params = new Params(tf, "T", 7);
            ConvTranspose2D layer = new ConvTranspose2D(params, "up", 4, in, out, true);
            Operand<TFloat32> x = tf.constant(random(Shape.of(n, outSize / 2, outSize / 2, in), 1));
            Operand<TFloat32> direct = layer.apply(tf, x, outSize);
            Operand<TFloat32> subPixel = layer.applySubPixel(tf, x, outSize);
            assertThat(subPixel.shape()).isEqualTo(direct.shape()).isEqualTo(Shape.of(n, outSize, outSize, out));
            Operand<TFloat32> dy = tf.constant(random(Shape.of(n, outSize, outSize, out), 2));
            Output<?>[] gradDirect = g.addGradients("direct", new Output<?>[] {direct.asOutput()},
                    new Output<?>[] {x.asOutput()}, new Output<?>[] {dy.asOutput()});
            Output<?>[] gradSubPixel = g.addGradients("sub_pixel", new Output<?>[] {subPixel.asOutput()},
                    new Output<?>[] {x.asOutput()}, new Output<?>[] {dy.asOutput()});
            try (Session session = Sessions.open(g, 1);
                 var r = session.runner().fetch(direct).fetch(subPixel).fetch(gradDirect[0]).fetch(gradSubPixel[0])
                         .fetch(params.trainable().get(0)).run()) {
                double w = maxAbs(Tensors.read((TFloat32) r.get(4)));
                // an image element sums 2x2 taps of each input channel (x in [-1, 1]) and the bias; an input
                // gradient sums the whole 4x4 kernel over the output channels (dy in [-1, 1])
                long imageTerms = 4L * in + 1, gradientTerms = 16L * out;
                assertClose(Tensors.read((TFloat32) r.get(0)), Tensors.read((TFloat32) r.get(1)),
                        Tolerance.reorderedSum(imageTerms, imageTerms * w));
                assertClose(Tensors.read((TFloat32) r.get(2)), Tensors.read((TFloat32) r.get(3)),
                        Tolerance.reorderedSum(gradientTerms, gradientTerms * w));
            }
        }
    }

    @Test
    void onlyFourByFourKernelsHaveTheForm() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            ConvTranspose2D five = new ConvTranspose2D(new Params(tf, "T", 1), "up", 5, 4, 3, false);
            assertThat(five.hasSubPixelForm()).isFalse();
            assertThatThrownBy(() -> five.applySubPixel(tf, tf.constant(new float[1][2][2][4]), 4))
                    .hasMessageContaining("4x4");
        }
    }

    private static FloatNdArray random(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) values[i] = (float) random.nextDouble(-1, 1);
        return NdArrays.wrap(shape, DataBuffers.of(values, true, false));
    }

    /** Element by element within {@code bound}: the two forms sum the same products in other orders. */
    private static void assertClose(float[] expected, float[] actual, double bound) {
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(maxAbs(expected)).as("the compared values").isGreaterThan(100 * bound);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], offset(bound));
        }
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) max = Math.max(max, Math.abs(v));
        return max;
    }
}
