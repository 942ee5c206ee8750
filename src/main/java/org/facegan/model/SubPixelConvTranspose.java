package org.facegan.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A k x k stride-2 SAME transposed convolution in its sub-pixel form (performance.md, attempts 9 and 11): a stride-1
 * transposed convolution of each input pixel into a block of 2x2 output pixels (4·C_out channels, a kb x kb kernel of
 * blocks), rearranged to pixels (depth to space) and cropped by SAME's padding. Every output pixel takes the same
 * taps as in the direct op, so the FLOPs are the same.
 */
final class SubPixelConvTranspose {
    private static final List<Long> STRIDE_1 = List.of(1L, 1L, 1L, 1L);

    private SubPixelConvTranspose() {}

    /** x [N, H, W, I] and the layer's kernel in blocks ({@link KernelBlocks}) -> [N, 2H, 2W, O] (no static shape). */
    static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernelBlocks, ConvShape shape,
                                   Precision precision) {
        int blocks = shape.inSize() + shape.blocks() - 1;
        Operand<TFloat32> y = tf.nn.depthToSpace(precision.conv2dTranspose(tf,
                ConvTranspose2D.shapeLike(tf, x, blocks, 4 * shape.out()), kernelBlocks, x,
                STRIDE_1, "VALID"), 2L);                                              // [N, 2·blocks, ., O]
        return crop(tf, y, shape);
    }

    /** The SAME output [N, 2H, 2W, O] out of the whole scattered one. */
    static Operand<TFloat32> crop(Ops tf, Operand<TFloat32> y, ConvShape shape) {
        int p = shape.padBefore(), size = shape.outSize();
        return tf.slice(y, tf.constant(new int[] {0, p, p, 0}), tf.constant(new int[] {-1, size, size, shape.out()}));
    }
}
