package org.facegan.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * 3 x 3 stride-1 convolution with SAME padding and a bias: [N, H, W, in] -> [N, H, W, out]. G's RGB layer when it
 * has a hidden layer at full resolution ({@link ModelConfig#gTopChannels}); the direct op in every mode (a stride-1
 * layer has no other form here).
 */
public final class Conv3x3 {
    private static final List<Long> STRIDE_1 = List.of(1L, 1L, 1L, 1L);

    private final Variable<TFloat32> kernel;
    private final Variable<TFloat32> bias;
    private final Precision precision;

    public Conv3x3(Params params, String name, int in, int out) {
        this.kernel = params.normal(name + "_w", Shape.of(3, 3, in, out), Params.INIT_STDDEV);
        this.bias = params.filled(name + "_b", Shape.of(out), 0f);
        this.precision = params.precision();
    }

    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> y = precision.conv2d(tf, x, Params.read(tf, kernel), STRIDE_1, "SAME");
        y = tf.reshape(y, tf.constant(new long[] {-1, x.shape().get(1), x.shape().get(2), kernel.shape().get(3)}));
        return tf.nn.biasAdd(y, Params.read(tf, bias));
    }
}
