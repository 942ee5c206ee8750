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
 * The VAE/GAN's losses (Larsen et al. 2016, {@link VaeGan}): E is the VAE's encoder and G its decoder. D also
 * judges reconstructions G(μ + σε, y) as fake; G adds the reconstruction error to its GAN loss on prior samples
 * and reconstructions; E minimises the reconstruction error (through G, which it does not update) plus the KL
 * divergence to the prior.
 */
final class VaeGanLosses extends Losses {
    private final VaeGan weights;
    // built in G's phase, read in E's
    private Encoder.Posterior posterior;
    private Operand<TFloat32> reconstructionError;

    VaeGanLosses(Generator g, Discriminator d, Encoder e, TrainingInputs in, TrainOptions options) {
        super(g, d, e, in, options);
        this.weights = options.vaegan();
    }

    @Override
    boolean encoderReadsGenerator() {
        return true;
    }

    /** Reconstructions of the real faces are fakes too, weighted with the prior samples half and half. */
    @Override
    protected Operand<TFloat32> discriminatorAdversarial(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
        Encoder.Posterior q = encoder.posterior(tf, in.real, Mode.TRAIN);
        Towers reconstructed = generator.apply(tf, in.real.splitLike(tf,
                tf.stopGradient(VaeGan.sample(tf, q.mean(), q.logVariance(), in.noise))), in.realYParts, Mode.TRAIN);
        Operand<TFloat32> reconstructedLogits = discriminator.apply(tf, reconstructed, in.realYParts,
                Mode.recording(dStatistics)).logits();
        AdversarialLoss kind = options.lossType();
        return tf.math.add(kind.onReal(tf, realLogits, options.balancing().realLabel()),
                tf.math.mul(tf.constant(0.5f), tf.math.add(kind.onFake(tf, fakeLogits),
                        kind.onFake(tf, reconstructedLogits))));
    }

    /** The decoder: the GAN loss on prior samples and reconstructions, plus the reconstruction error. */
    @Override
    protected GPhase generatorLoss(Ops tf, Operand<TFloat32> onSamples, Operand<TFloat32> attributes,
                                   Operand<TFloat32> logits, Towers fakes, Operand<TFloat32> z) {
        posterior = encoder.posterior(tf, in.real, Mode.recording(eStatistics));
        Towers reconstructed = generator.apply(tf, in.real.splitLike(tf,
                VaeGan.sample(tf, posterior.mean(), posterior.logVariance(), in.noise)), in.realYParts,
                Mode.recording(gStatistics));
        Operand<TFloat32> onReconstructions = options.lossType().generator(tf,
                discriminator.apply(tf, reconstructed, in.realYParts, Mode.TRAIN).logits());
        Operand<TFloat32> adversarial = tf.math.mul(tf.constant(0.5f), tf.math.add(onSamples, onReconstructions));
        reconstructionError = squaredError(tf, reconstructed, in.real);
        Operand<TFloat32> loss = tf.math.add(weighted(tf, weights.ganWeight(), tf.math.add(adversarial, attributes)),
                weighted(tf, weights.reconWeight(), reconstructionError));
        return new GPhase(loss, adversarial, logits, fakes, z, null);
    }

    /** The reconstruction error through G (G not updated by it) and the prior term, per pixel. */
    @Override
    protected EPhase encoderLoss(Ops tf, GPhase g) {
        float pixels = options.model().imageSize() * options.model().imageSize() * 3f;
        Operand<TFloat32> loss = tf.math.add(weighted(tf, weights.reconWeight(), reconstructionError),
                weighted(tf, weights.klWeight() / pixels, VaeGan.kl(tf, posterior.mean(), posterior.logVariance())));
        return new EPhase(loss, posterior.mean());
    }
}
