package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A k x k stride-2 SAME convolution as one matrix product: every output pixel's patch (kb x kb blocks of 2x2 pixels
 * from {@link SpaceToDepthConv#blocks}, gathered as kb² shifted slices side by side) times the kernel as a
 * [kb²·4·C_in, C_out] matrix. GEMM runs near the machine's peak where a convolution kernel may not; the patches
 * cost kb² copies of the input.
 */
final class PatchMatmulConv {
    private PatchMatmulConv() {}

    /** The layer's kernel [k, k, C, O] as the [kb²·4·C, O] matrix that multiplies the patches. */
    static Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> kernel, ConvShape shape) {
        long depth = 4L * shape.in() * shape.blocks() * shape.blocks();
        return tf.reshape(KernelBlocks.of(tf, kernel, shape), tf.constant(new long[] {depth, shape.out()}));
    }

    /** x [N, H, W, C] and the kernel's {@link #matrix} -> [N, H/2, W/2, O]. */
    static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, ConvShape shape,
                                   Precision precision) {
        int kb = shape.blocks(), size = shape.outSize();
        long depth = 4L * shape.in() * kb * kb;
        Operand<TFloat32> blocks = SpaceToDepthConv.blocks(tf, x, shape);               // [N, size+kb-1, ., 4C]
        List<Operand<TFloat32>> shifted = new ArrayList<>();
        for (int bh = 0; bh < kb; bh++) {
            for (int bw = 0; bw < kb; bw++) {
                shifted.add(kb == 1 ? blocks : tf.slice(blocks, tf.constant(new int[] {0, bh, bw, 0}),
                        tf.constant(new int[] {-1, size, size, -1})));
            }
        }
        Operand<TFloat32> patches = shifted.size() == 1 ? shifted.get(0) : tf.concat(shifted, tf.constant(3));
        Operand<TFloat32> rows = tf.reshape(patches, tf.constant(new long[] {-1, depth})); // [N·size², kb²·4C]
        return tf.reshape(precision.matMul(tf, rows, w), tf.constant(new long[] {-1, size, size, shape.out()}));
    }
}
