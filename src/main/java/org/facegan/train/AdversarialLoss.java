package org.facegan.train;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The adversarial part of D's and G's losses ({@code train --loss}); the attribute losses are the same under
 * either. Whatever D should call fake (G's faces, real faces with another face's y, VAE/GAN reconstructions) takes
 * the fake term.
 *
 * <ul>
 *   <li>{@link #NONSATURATING}: D's sigmoid cross-entropy (real against the {@code --label-smoothing} target, fake
 *       against 0), G's non-saturating -log D(G(z)) (Goodfellow et al. 2014; DCGAN's).
 *   <li>{@link #HINGE}: D: mean relu(1 - real) + mean relu(1 + fake); G: -mean D(G(z)) (Lim and Ye 2017,
 *       "Geometric GAN"; SN-GAN's and BigGAN's loss).
 * </ul>
 */
public enum AdversarialLoss {
    NONSATURATING, HINGE;

    /** @param value nonsaturating or hinge (any case) */
    public static AdversarialLoss parse(String value) {
        for (AdversarialLoss l : values()) if (l.toString().equals(value.toLowerCase(Locale.ROOT))) return l;
        throw new IllegalArgumentException("--loss must be nonsaturating or hinge, found " + value);
    }

    /** D's term on logits of real faces; {@code realLabel} is the cross-entropy's target (1 without smoothing). */
    public Operand<TFloat32> onReal(Ops tf, Operand<TFloat32> logits, float realLabel) {
        return switch (this) {
            case NONSATURATING -> GanLoss.meanCrossEntropy(tf, logits, realLabel);
            case HINGE -> GanLoss.hingeReal(tf, logits);
        };
    }

    /** D's term on logits of whatever it should call fake. */
    public Operand<TFloat32> onFake(Ops tf, Operand<TFloat32> logits) {
        return switch (this) {
            case NONSATURATING -> GanLoss.meanCrossEntropy(tf, logits, 0f);
            case HINGE -> GanLoss.hingeFake(tf, logits);
        };
    }

    /** D's loss on a real and a fake batch. */
    public Operand<TFloat32> discriminator(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits,
                                           float realLabel) {
        return tf.math.add(onReal(tf, realLogits, realLabel), onFake(tf, fakeLogits));
    }

    /** G's loss on D's logits of its faces. */
    public Operand<TFloat32> generator(Ops tf, Operand<TFloat32> fakeLogits) {
        return switch (this) {
            case NONSATURATING -> GanLoss.generator(tf, fakeLogits);
            case HINGE -> GanLoss.hingeGenerator(tf, fakeLogits);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
