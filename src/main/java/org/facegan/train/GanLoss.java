package org.facegan.train;

import org.facegan.model.Towers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The standard GAN losses on D's logits (Goodfellow et al. 2014), with G's non-saturating form:
 * D maximises log D(x) + log(1 - D(G(z))); G maximises log D(G(z)) instead of minimising log(1 - D(G(z))).
 */
public final class GanLoss {
    private GanLoss() {}

    /** D's phase: mean sigmoid cross-entropy of real logits against 1 and fake logits against 0. */
    public static Operand<TFloat32> discriminator(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
        return discriminator(tf, realLogits, fakeLogits, 1f);
    }

    /** The same with real logits against {@code realLabel} (one-sided label smoothing below 1). */
    public static Operand<TFloat32> discriminator(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits,
                                                  float realLabel) {
        return tf.math.add(meanCrossEntropy(tf, realLogits, realLabel), meanCrossEntropy(tf, fakeLogits, 0f));
    }

    /** G's phase (non-saturating): mean sigmoid cross-entropy of fake logits against 1. */
    public static Operand<TFloat32> generator(Ops tf, Operand<TFloat32> fakeLogits) {
        return meanCrossEntropy(tf, fakeLogits, 1f);
    }

    /**
     * Mean of max(x, 0) - x * label + log(1 + exp(-|x|)): sigmoid cross-entropy written so it never overflows,
     * from ops that all have registered gradients.
     */
    public static Operand<TFloat32> meanCrossEntropy(Ops tf, Operand<TFloat32> logits, float label) {
        return meanCrossEntropy(tf, logits, tf.constant(label));
    }

    /** The same against per-element labels in [0, 1] (attribute targets). */
    public static Operand<TFloat32> meanCrossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> labels) {
        Operand<TFloat32> positive = tf.nn.relu(logits);
        Operand<TFloat32> softTail = tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits))));
        return mean(tf, tf.math.add(tf.math.sub(positive, tf.math.mul(logits, labels)), softTail));
    }

    /** The hinge loss's D term on real logits (Lim and Ye 2017; Miyato et al. 2018): mean relu(1 - D(x)). */
    public static Operand<TFloat32> hingeReal(Ops tf, Operand<TFloat32> realLogits) {
        return mean(tf, tf.nn.relu(tf.math.sub(tf.constant(1f), realLogits)));
    }

    /** The hinge loss's D term on fake logits: mean relu(1 + D(G(z))). */
    public static Operand<TFloat32> hingeFake(Ops tf, Operand<TFloat32> fakeLogits) {
        return mean(tf, tf.nn.relu(tf.math.add(tf.constant(1f), fakeLogits)));
    }

    /** The hinge loss's G term: -mean D(G(z)). */
    public static Operand<TFloat32> hingeGenerator(Ops tf, Operand<TFloat32> fakeLogits) {
        return tf.math.neg(mean(tf, fakeLogits));
    }

    /** Mean over every element. */
    static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
        return Towers.of(x).mean(tf);
    }
}
