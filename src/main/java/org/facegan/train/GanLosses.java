package org.facegan.train;

import org.facegan.model.Discriminator;
import org.facegan.model.Encoder;
import org.facegan.model.Generator;
import org.facegan.model.Mode;
import org.facegan.model.Towers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The conditional GAN's losses: D's cross-entropy on real faces (against {@code --label-smoothing}'s target) and
 * G's faces, G's non-saturating loss (or both in hinge form, {@link AdversarialLoss}), and E learning to invert G: ||E(G(z, y)) - z||^2 with G's images held
 * constant.
 */
final class GanLosses extends Losses {
    GanLosses(Generator g, Discriminator d, Encoder e, TrainingInputs in, TrainOptions options) {
        super(g, d, e, in, options);
    }

    @Override
    protected Operand<TFloat32> discriminatorAdversarial(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
        return options.lossType().discriminator(tf, realLogits, fakeLogits, options.balancing().realLabel());
    }

    @Override
    protected GPhase generatorLoss(Ops tf, Operand<TFloat32> adversarial, Operand<TFloat32> attributes,
                                   Operand<TFloat32> logits, Towers fakes, Operand<TFloat32> z) {
        return new GPhase(tf.math.add(adversarial, attributes), adversarial, logits, fakes, z);
    }

    @Override
    protected EPhase encoderLoss(Ops tf, GPhase g) {
        Operand<TFloat32> zHat = encoder.apply(tf, g.fakes().map(tf, (at, x) -> at.stopGradient(x)),
                Mode.recording(eStatistics)).joined(tf);
        return new EPhase(GanLoss.mean(tf, tf.math.squaredDifference(zHat, g.z())), zHat);
    }
}
