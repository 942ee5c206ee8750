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
 * G's faces, G's non-saturating loss (or both in hinge form, {@link AdversarialLoss}), and E learning to invert G:
 * ||E(G(z, y)) - z||^2 with G's images held constant. With {@code --latent-recon} G minimises the same error too
 * (InfoGAN's mutual-information term, Chen et al. 2016, over all of z with E as the recognition network): what z
 * alone decides, such as lighting and pose that no attribute names, must then show in the face. With
 * {@code --mode-seeking} G also pays for drawing similar faces from different z's ({@link ModeSeeking}), and with
 * {@code --g-moments} for its batch's thumbnails straying from the real faces' mean and covariance ({@link LowResMoments}).
 */
final class GanLosses extends Losses {
    private final LowResMoments realMoments;

    /** @param realMoments the real thumbnails' running moments ({@code --g-moments}), else null */
    GanLosses(Generator g, Discriminator d, Encoder e, TrainingInputs in, TrainOptions options, LowResMoments realMoments) {
        super(g, d, e, in, options);
        this.realMoments = realMoments;
    }

    @Override
    protected Operand<TFloat32> discriminatorAdversarial(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
        return options.lossType().discriminator(tf, realLogits, fakeLogits, options.balancing().realLabel());
    }

    @Override
    protected GPhase generatorLoss(Ops tf, Operand<TFloat32> adversarial, Operand<TFloat32> attributes,
                                   Operand<TFloat32> logits, Towers fakes, Operand<TFloat32> z) {
        Operand<TFloat32> loss = tf.math.add(adversarial, attributes);
        Operand<TFloat32> zHat = null;
        if (options.latentRecon() > 0) {
            // E's one pass over G's batch: E's own loss below reads the same z-hat, with G's images held constant
            zHat = encoder.apply(tf, fakes, Mode.recording(eStatistics)).joined(tf);
            loss = tf.math.add(loss, weighted(tf, options.latentRecon(), latentError(tf, zHat, z)));
        }
        if (options.modeSeeking() > 0) {
            loss = tf.math.add(loss, weighted(tf, options.modeSeeking(),
                    ModeSeeking.loss(tf, fakes.joined(tf), z, options.batch() / 2)));
        }
        if (options.gMoments() > 0) {
            loss = tf.math.add(loss, weighted(tf, options.gMoments(), realMoments.loss(tf, fakes.joined(tf), options.batch())));
        }
        return new GPhase(loss, adversarial, logits, fakes, z, zHat);
    }

    @Override
    protected EPhase encoderLoss(Ops tf, GPhase g) {
        // E's step takes gradients for E's weights only, so G's images need no stop-gradient when G's loss built the pass
        Operand<TFloat32> zHat = g.encodedZ() != null ? g.encodedZ() : encoder.apply(tf,
                g.fakes().map(tf, (at, x) -> at.stopGradient(x)), Mode.recording(eStatistics)).joined(tf);
        return new EPhase(latentError(tf, zHat, g.z()), zHat);
    }

    private static Operand<TFloat32> latentError(Ops tf, Operand<TFloat32> zHat, Operand<TFloat32> z) {
        return GanLoss.mean(tf, tf.math.squaredDifference(zHat, z));
    }
}
