package org.facegan.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A stride-2 kernel as taps on 2x2 blocks of pixels: w[k, k, A, B] -> w2[kb, kb, 4A, B] with
 * w2[bh, bw, (sh, sw, a), b] = w[2 bh + sh, 2 bw + sw, a, b], space_to_depth's and depth_to_space's channel order.
 * An odd kernel first gets a zero row and column at its end. Built in the graph from the variable, so checkpoints
 * keep the kernel's own layout and gradients flow back to it (Pad, Reshape and Transpose all have gradients).
 */
final class KernelBlocks {
    private KernelBlocks() {}

    /** @param w [k, k, A, B] for a layer of {@code shape} */
    static Operand<TFloat32> of(Ops tf, Operand<TFloat32> w, ConvShape shape) {
        int k = shape.kernel(), kb = shape.blocks();
        long a = w.shape().get(2), b = w.shape().get(3);
        if (k % 2 == 1) w = tf.pad(w, tf.constant(new int[][] {{0, 1}, {0, 1}, {0, 0}, {0, 0}}), tf.constant(0f));
        Operand<TFloat32> split = tf.reshape(w, tf.constant(new long[] {kb, 2, kb, 2, a, b}));
        return tf.reshape(tf.linalg.transpose(split, tf.constant(new int[] {0, 2, 1, 3, 4, 5})),
                tf.constant(new long[] {kb, kb, 4 * a, b}));
    }
}
