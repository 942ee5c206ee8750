package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A k x k stride-2 SAME transposed convolution as one matrix product and an overlap-add: every input pixel times the
 * kernel as an [I, kb²·4·O] matrix gives its kb x kb blocks of 2x2 output pixels; block (bh, bw) of every pixel is
 * shifted by (bh, bw) blocks (a pad), the kb² shifted images are summed, rearranged to pixels (depth to space) and
 * cropped by SAME's padding. The same products as the direct op; the overlap-add costs kb² passes over the output.
 */
final class OverlapAddConvTranspose {
    private OverlapAddConvTranspose() {}

    /**
     * The layer's kernel [k, k, O, I] as an [I, kb·kb·4·O] matrix: row i holds every block's taps of input channel i
     * (the blocks [kb, kb, 4·O, I] transposed).
     */
    static Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> kernel, ConvShape shape) {
        long columns = 4L * shape.out() * shape.blocks() * shape.blocks();
        return tf.reshape(tf.linalg.transpose(KernelBlocks.of(tf, kernel, shape), tf.constant(new int[] {3, 0, 1, 2})),
                tf.constant(new long[] {shape.in(), columns}));
    }

    /** x [N, H, W, I] and the kernel's {@link #matrix} -> [N, 2H, 2W, O] (without a static shape). */
    static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, ConvShape shape,
                                   Precision precision) {
        int kb = shape.blocks(), h = shape.inSize();
        long depth = 4L * shape.out();
        Operand<TFloat32> rows = tf.reshape(x, tf.constant(new long[] {-1, shape.in()}));        // [N·H·W, I]
        Operand<TFloat32> taps = tf.reshape(precision.matMul(tf, rows, w),
                tf.constant(new long[] {-1, h, h, (long) kb * kb, depth}));                    // [N, H, W, kb², 4·O]
        List<Operand<TFloat32>> shifted = new ArrayList<>();
        for (int bh = 0; bh < kb; bh++) {
            for (int bw = 0; bw < kb; bw++) {
                Operand<TFloat32> block = tf.reshape(tf.slice(taps, tf.constant(new int[] {0, 0, 0, bh * kb + bw, 0}),
                        tf.constant(new int[] {-1, h, h, 1, (int) depth})), tf.constant(new long[] {-1, h, h, depth}));
                shifted.add(kb == 1 ? block : tf.pad(block,
                        tf.constant(new int[][] {{0, 0}, {bh, kb - 1 - bh}, {bw, kb - 1 - bw}, {0, 0}}), tf.constant(0f)));
            }
        }
        Operand<TFloat32> sum = shifted.size() == 1 ? shifted.get(0) : tf.math.addN(shifted); // [N, H+kb-1, ., 4·O]
        return SubPixelConvTranspose.crop(tf, tf.nn.depthToSpace(sum, 2L), shape);
    }
}
