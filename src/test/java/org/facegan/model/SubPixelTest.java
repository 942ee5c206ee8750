package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.SplittableRandom;
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
            ConvTranspose2D layer = new ConvTranspose2D(new Params(tf, "T", 7), "up", 4, in, out, true);
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
                 var r = session.runner().fetch(direct).fetch(subPixel).fetch(gradDirect[0]).fetch(gradSubPixel[0]).run()) {
                assertClose(Tensors.read((TFloat32) r.get(0)), Tensors.read((TFloat32) r.get(1)));
                assertClose(Tensors.read((TFloat32) r.get(2)), Tensors.read((TFloat32) r.get(3)));
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

    private static void assertClose(float[] expected, float[] actual) {
        assertThat(actual).hasSameSizeAs(expected);
        double scale = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        assertThat(scale).isPositive();
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], offset(1e-5 * scale));
        }
    }
}
