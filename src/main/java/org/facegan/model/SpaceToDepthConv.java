package org.facegan.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A k x k stride-2 SAME convolution as a stride-1 convolution on 2x2 blocks (performance.md, attempt 9): pad as
 * SAME does (plus the even kernel's extra row), space to depth, then a ceil(k/2) x ceil(k/2) VALID convolution with
 * 4·C_in input channels. The same products as the direct op, summed in another order.
 */
final class SpaceToDepthConv {
    private static final List<Long> STRIDE_1 = List.of(1L, 1L, 1L, 1L);

    private SpaceToDepthConv() {}

    /** x [N, H, W, C] and the layer's kernel in blocks ({@link KernelBlocks}) -> [N, H/2, W/2, O]. */
    static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernelBlocks, ConvShape shape,
                                   Precision precision) {
        return precision.conv2d(tf, blocks(tf, x, shape), kernelBlocks, STRIDE_1, "VALID");
    }

    /** x padded as SAME pads it (and to the even kernel), in 2x2 blocks: [N, H/2 + kb - 1, ., 4C]. */
    static Operand<TFloat32> blocks(Ops tf, Operand<TFloat32> x, ConvShape shape) {
        int before = shape.padBefore(), after = shape.evenKernel() - 2 - before;
        Operand<TFloat32> padded = before == 0 && after == 0 ? x
                : tf.pad(x, tf.constant(new int[][] {{0, 0}, {before, after}, {before, after}, {0, 0}}), tf.constant(0f));
        return tf.nn.spaceToDepth(padded, 2L);
    }
}
