package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A k x k stride-2 SAME convolution as one matrix product and a shift-add, the mirror of
 * {@link OverlapAddConvTranspose}: every 2x2 block of the padded input times the kernel as a [4·C_in, kb²·C_out]
 * matrix gives each of the kb x kb kernel blocks' contribution at once; block (bh, bw)'s contribution is cropped at
 * an offset of (bh, bw) blocks and the kb² crops are summed. The same products as the direct op. Where
 * {@link PatchMatmulConv} copies kb² shifted slices of the input side by side (4·C_in·kb² values an output pixel,
 * and as much again in the backward pass), this copies kb² crops of the products (C_out each), at the price of
 * computing the products on the (H/2 + kb − 1)² padded blocks instead of (H/2)².
 */
final class ShiftedProductsConv {
    private ShiftedProductsConv() {}

    static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, ConvShape shape,
                                   Precision precision) {
        int kb = shape.blocks(), size = shape.outSize(), full = size + kb - 1;
        long out = shape.out(), depth = 4L * shape.in();
        // [kb, kb, 4C, O] -> [4C, kb·kb·O]: column block (bh, bw) holds that kernel block's taps
        Operand<TFloat32> w = tf.reshape(tf.linalg.transpose(KernelBlocks.of(tf, kernel, shape),
                tf.constant(new int[] {2, 0, 1, 3})), tf.constant(new long[] {depth, kb * kb * out}));
        Operand<TFloat32> rows = tf.reshape(SpaceToDepthConv.blocks(tf, x, shape), tf.constant(new long[] {-1, depth}));
        Operand<TFloat32> products = tf.reshape(precision.matMul(tf, rows, w),
                tf.constant(new long[] {-1, full, full, kb * kb * out}));                  // [N, full, full, kb²·O]
        if (kb == 1) return products;
        // split by channels first, so that each crop's gradient pads only its own block's products
        var blocks = tf.split(tf.constant(3), products, (long) kb * kb).output();
        List<Operand<TFloat32>> crops = new ArrayList<>();
        for (int bh = 0; bh < kb; bh++) {
            for (int bw = 0; bw < kb; bw++) {
                crops.add(tf.slice(blocks.get(bh * kb + bw), tf.constant(new int[] {0, bh, bw, 0}),
                        tf.constant(new int[] {-1, size, size, -1})));
            }
        }
        return tf.math.addN(crops);
    }
}
