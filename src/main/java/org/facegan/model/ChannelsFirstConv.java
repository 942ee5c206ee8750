package org.facegan.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.Conv2dBackpropInput;
import org.tensorflow.types.TFloat32;

/**
 * The direct ops in channels-first layout (NCHW): the input transposed to NCHW, the convolution or transposed
 * convolution run with {@code data_format=NCHW}, the output transposed back. Float32 only.
 */
final class ChannelsFirstConv {
    private static final List<Long> STRIDE_2 = List.of(1L, 1L, 2L, 2L);

    private ChannelsFirstConv() {}

    static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, ConvShape shape) {
        Operand<TFloat32> nchw = tf.linalg.transpose(x, tf.constant(new int[] {0, 3, 1, 2}));
        Operand<TFloat32> y;
        if (shape.transposed()) {
            int size = shape.outSize();
            Operand<org.tensorflow.types.TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] {0}),
                    tf.constant(new int[] {1}));
            Operand<org.tensorflow.types.TInt32> outShape = tf.concat(List.of(batch,
                    tf.constant(new int[] {shape.out(), size, size})), tf.constant(0));
            y = tf.nn.conv2dBackpropInput(outShape, kernel, nchw, STRIDE_2, "SAME",
                    Conv2dBackpropInput.dataFormat("NCHW"));
        } else {
            y = tf.nn.conv2d(nchw, kernel, STRIDE_2, "SAME", Conv2d.dataFormat("NCHW"));
        }
        return tf.linalg.transpose(y, tf.constant(new int[] {0, 2, 3, 1}));
    }
}
