package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
 * Every {@link ConvForm} of a stride-2 convolution and transposed convolution computes the direct op's function:
 * the same outputs, the same gradients of the input and of the kernel variable (the one the checkpoint holds), for
 * odd and even kernels and for 3-channel layers (D's first, G's last).
 */
class ConvFormsTest {
    static Stream<Arguments> layers() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (ConvForm form : ConvForm.values()) {
            if (form == ConvForm.DIRECT) continue;
            for (boolean transposed : new boolean[] {false, true}) {
                b.add(Arguments.of(form, transposed, 4, 16, 3, 8));   // D's first layer / G's RGB layer
                b.add(Arguments.of(form, transposed, 4, 8, 16, 32));
                b.add(Arguments.of(form, transposed, 5, 8, 6, 5));   // dcgan64's 5x5 kernels
                b.add(Arguments.of(form, transposed, 3, 4, 4, 4));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} transposed={1} k{2} {3}px {4}->{5}")
    @MethodSource("layers")
    void formComputesTheDirectOpsOutputAndGradients(ConvForm form, boolean transposed, int k, int size, int in, int out) {
        int n = 2;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Params params = new Params(tf, "T", 7);
            Operand<TFloat32> x = tf.constant(random(Shape.of(n, size, size, in), 1));
            Operand<TFloat32> direct, formed;
            int outSize = transposed ? 2 * size : size / 2;
            if (transposed) {
                ConvTranspose2D layer = new ConvTranspose2D(params, "up", k, in, out, true);
                direct = layer.apply(tf, x, outSize, ConvForm.DIRECT);
                formed = layer.apply(tf, x, outSize, form);
            } else {
                Conv2D layer = new Conv2D(params, "down", k, in, out, true);
                direct = layer.apply(tf, x, ConvForm.DIRECT);
                formed = layer.apply(tf, x, form);
            }
            assertThat(formed.shape()).isEqualTo(direct.shape()).isEqualTo(Shape.of(n, outSize, outSize, out));
            Output<?> kernel = params.trainable().get(0).asOutput();
            Operand<TFloat32> dy = tf.constant(random(Shape.of(n, outSize, outSize, out), 2));
            Output<?>[] gradDirect = g.addGradients("direct", new Output<?>[] {direct.asOutput()},
                    new Output<?>[] {x.asOutput(), kernel}, new Output<?>[] {dy.asOutput()});
            Output<?>[] gradFormed = g.addGradients("formed", new Output<?>[] {formed.asOutput()},
                    new Output<?>[] {x.asOutput(), kernel}, new Output<?>[] {dy.asOutput()});
            try (Session session = Sessions.open(g, 1);
                 var r = session.runner().fetch(direct).fetch(formed).fetch(gradDirect[0]).fetch(gradFormed[0])
                         .fetch(gradDirect[1]).fetch(gradFormed[1]).fetch(params.trainable().get(0)).run()) {
                double w = maxAbs(Tensors.read((TFloat32) r.get(6)));
                // an output element sums at most k²·in products of |x| <= 1 and |w| plus the bias; an input gradient
                // at most k²·out products of |dy| <= 1 and |w|; a kernel gradient one product of |x|, |dy| <= 1 per
                // output pixel (a convolution) or input pixel (a transposed one) of each image
                long outputTerms = (long) k * k * in + 1, inputTerms = (long) k * k * out;
                long kernelTerms = (long) n * (transposed ? size : outSize) * (transposed ? size : outSize);
                assertClose("output", Tensors.read((TFloat32) r.get(0)), Tensors.read((TFloat32) r.get(1)),
                        Tolerance.reorderedSum(outputTerms, outputTerms * w));
                assertClose("input gradient", Tensors.read((TFloat32) r.get(2)), Tensors.read((TFloat32) r.get(3)),
                        Tolerance.reorderedSum(inputTerms, inputTerms * w));
                assertClose("kernel gradient", Tensors.read((TFloat32) r.get(4)), Tensors.read((TFloat32) r.get(5)),
                        Tolerance.reorderedSum(kernelTerms, kernelTerms));
            }
        }
    }

    private static FloatNdArray random(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) values[i] = (float) random.nextDouble(-1, 1);
        return NdArrays.wrap(shape, DataBuffers.of(values, true, false));
    }

    /**
     * Element by element within {@code bound} (the two forms sum the same products in other orders), and within
     * 1e-5 of the values' scale (issue 19's bar).
     */
    private static void assertClose(String what, float[] expected, float[] actual, double bound) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double scale = maxAbs(expected);
        assertThat(scale).as("the compared %s", what).isGreaterThan(100 * bound);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s element %d", what, i).isCloseTo(expected[i], offset(Math.min(bound, 1e-5 * scale)));
        }
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) max = Math.max(max, Math.abs(v));
        return max;
    }
}
