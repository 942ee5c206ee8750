package org.facegan.train;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Mode seeking (Mao et al. 2019, "Mode Seeking Generative Adversarial Networks for Diverse Image Synthesis"): G's
 * batch comes in pairs that share y and differ in z, row i against row i + N/2 ({@link StepDraws} repeats the first
 * half's y), and G minimises 1 / (ratio + ε), where ratio = mean|G(z₁, y) − G(z₂, y)| / mean|z₁ − z₂|. A G that
 * draws nearly the same face for different z (a dropped tail of the lighting, a narrow range of poses) pays for it,
 * which a D that judges one face at a time does not make it do.
 */
final class ModeSeeking {
    static final float EPSILON = 1e-5f;

    private ModeSeeking() {}

    /** 1 / (ratio + ε) over the {@code pairs} pairs of rows (i, i + pairs) of {@code images} and {@code z}. */
    static Operand<TFloat32> loss(Ops tf, Operand<TFloat32> images, Operand<TFloat32> z, int pairs) {
        Operand<TFloat32> ratio = tf.math.div(meanDistance(tf, images, pairs), meanDistance(tf, z, pairs));
        return tf.math.div(tf.constant(1f), tf.math.add(ratio, tf.constant(EPSILON)));
    }

    /** The mean absolute difference between rows [0, pairs) and rows [pairs, 2·pairs) of {@code x}. */
    static Operand<TFloat32> meanDistance(Ops tf, Operand<TFloat32> x, int pairs) {
        int rank = x.shape().numDimensions();
        int[] first = new int[rank], second = new int[rank], size = new int[rank];
        Arrays.fill(size, -1);
        size[0] = pairs;
        second[0] = pairs;
        Operand<TFloat32> difference = tf.math.abs(tf.math.sub(tf.slice(x, tf.constant(first), tf.constant(size)),
                tf.slice(x, tf.constant(second), tf.constant(size))));
        return GanLoss.mean(tf, difference);
    }
}
