package org.facegan.train;

import org.facegan.model.BatchStatistics;
import org.facegan.model.Discriminator;
import org.facegan.model.Encoder;
import org.facegan.model.Generator;
import org.facegan.model.Mode;
import org.facegan.model.Towers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What each network minimises in a training step, built phase by phase in the order the step runs them (D, G,
 * E), as stylegan2-ada's loss module is: {@link GanLosses} for the conditional GAN, {@link VaeGanLosses} for the
 * VAE/GAN. The terms both share live here: D's attribute head and its mismatched-y term (the matching-aware
 * discriminator of Reed et al. 2016), D's R1 penalty ({@code --r1}), G's attribute loss and E's reconstruction of
 * real faces through the frozen G.
 *
 * <p>The batch statistics of the passes that move each network's moving averages are collected on the way, in
 * {@link #dStatistics}, {@link #gStatistics} and {@link #eStatistics}; every other training pass uses its batch's
 * statistics for itself only.
 */
abstract class Losses {
    /** D's loss, its logits on the real and the fake batch, and the fake batch (G's D-phase pass). */
    record DPhase(Operand<TFloat32> loss, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits, Towers fakes) {}

    /**
     * G's loss, its adversarial part (what the L2 balancing rule watches), D's logits on G's batch, that batch, the z
     * it was drawn from and, when G's loss reads it ({@code --latent-recon}), E's z for that batch (else null).
     */
    record GPhase(Operand<TFloat32> loss, Operand<TFloat32> adversarial, Operand<TFloat32> logits, Towers fakes,
                  Operand<TFloat32> z, Operand<TFloat32> encodedZ) {}

    /** E's loss and E's z for the batch it encoded (for histograms). */
    record EPhase(Operand<TFloat32> loss, Operand<TFloat32> encodedZ) {}

    protected final Generator generator;
    protected final Discriminator discriminator;
    protected final Encoder encoder;
    protected final TrainingInputs in;
    protected final TrainOptions options;
    final BatchStatistics dStatistics = new BatchStatistics();
    final BatchStatistics gStatistics = new BatchStatistics();
    final BatchStatistics eStatistics = new BatchStatistics();

    Losses(Generator generator, Discriminator discriminator, Encoder encoder, TrainingInputs in, TrainOptions options) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.encoder = encoder;
        this.in = in;
        this.options = options;
    }

    /** @param realMoments the real thumbnails' running moments that G's loss reads ({@code --g-moments}), else null */
    static Losses of(Generator g, Discriminator d, Encoder e, TrainingInputs in, TrainOptions options,
                     LowResMoments realMoments) {
        return options.vaegan() == null ? new GanLosses(g, d, e, in, options, realMoments)
                : new VaeGanLosses(g, d, e, in, options);
    }

    /** Whether E's loss runs through G (then G's update must wait for E's gradients). */
    boolean encoderReadsGenerator() {
        return options.encoderRecon() > 0;
    }

    /** Whether G's loss runs through E (then E's update must wait for G's gradients). */
    boolean generatorReadsEncoder() {
        return options.latentRecon() > 0;
    }

    /**
     * D(x, y_real) against D(G(z, y_fake), y_fake), the attribute head on the real faces and, weighted by
     * {@code --mismatch}, D(x, y_fake): a real face with another face's attributes is fake too.
     */
    final DPhase discriminator(Ops tf) {
        // G's statistics from this pass are kept only when G's phase reuses this batch: then it is G's only pass
        Towers fakes = generator.apply(tf, in.fakeZParts, in.fakeYParts,
                options.reuseFakes() ? Mode.recording(gStatistics) : Mode.TRAIN);
        // the trunk's features of the real faces serve both their own y and the mismatched y below
        Towers realFeatures = discriminator.features(tf, in.real, Mode.recording(dStatistics));
        Discriminator.Judgement real = discriminator.judge(tf, realFeatures, in.realYParts);
        Operand<TFloat32> fakeLogits = discriminator.apply(tf, fakes, in.fakeYParts, Mode.recording(dStatistics)).logits();
        Operand<TFloat32> loss = tf.math.add(discriminatorAdversarial(tf, real.logits(), fakeLogits),
                weighted(tf, options.auxiliary(), GanLoss.meanCrossEntropy(tf, real.attributeLogits(), in.realY)));
        if (options.mismatch() > 0) {
            Operand<TFloat32> mismatched = discriminator.judge(tf, realFeatures, in.fakeYParts).logits();
            loss = tf.math.add(loss, weighted(tf, options.mismatch(), options.lossType().onFake(tf, mismatched)));
        }
        if (options.r1() > 0) {
            // γ/2 · E‖∇ₓD(x, y)‖² on the real faces with their own y (Mescheder et al. 2018)
            loss = tf.math.add(loss, weighted(tf, options.r1() / 2, R1Penalty.meanSquaredGradient(tf, real.logits(), in.real)));
        }
        return new DPhase(loss, real.logits(), fakeLogits, fakes);
    }

    /** G's adversarial loss ({@code --loss}) on D's judgement of its batch, plus its attribute loss against the y it was given. */
    final GPhase generator(Ops tf, DPhase d) {
        boolean reuse = options.reuseFakes();
        Operand<TFloat32> z = reuse ? in.fakeZ : in.genZ, y = reuse ? in.fakeY : in.genY;
        Towers yParts = reuse ? in.fakeYParts : in.genYParts;
        Towers fakes = reuse ? d.fakes() : generator.apply(tf, in.genZParts, in.genYParts, Mode.recording(gStatistics));
        Discriminator.Judgement judged = discriminator.apply(tf, fakes, yParts, Mode.TRAIN);
        Operand<TFloat32> attributes = weighted(tf, options.auxiliary(),
                GanLoss.meanCrossEntropy(tf, judged.attributeLogits(), y));
        return generatorLoss(tf, options.lossType().generator(tf, judged.logits()), attributes, judged.logits(), fakes, z);
    }

    /** E's own loss, plus (weighted by {@code --encoder-recon}) ||G(E(x), y) - x||^2 on real faces, G frozen. */
    final EPhase encoder(Ops tf, GPhase g) {
        EPhase own = encoderLoss(tf, g);
        Operand<TFloat32> loss = own.loss();
        if (options.encoderRecon() > 0) {
            // Perarnau et al. 2016 ("Invertible Conditional GANs for image editing"), through G's moving statistics
            Towers zReal = encoder.apply(tf, in.real, Mode.recording(eStatistics));
            Towers reconstructed = generator.apply(tf, zReal, in.realYParts, Mode.INFERENCE);
            loss = tf.math.add(loss, weighted(tf, options.encoderRecon(), squaredError(tf, reconstructed, in.real)));
        }
        return new EPhase(loss, own.encodedZ());
    }

    /** D's adversarial loss on the real and the fake logits (and whatever else this model calls fake). */
    protected abstract Operand<TFloat32> discriminatorAdversarial(Ops tf, Operand<TFloat32> realLogits,
                                                                  Operand<TFloat32> fakeLogits);

    /** G's loss from its adversarial loss on {@code fakes} and its weighted attribute loss. */
    protected abstract GPhase generatorLoss(Ops tf, Operand<TFloat32> adversarial, Operand<TFloat32> attributes,
                                            Operand<TFloat32> logits, Towers fakes, Operand<TFloat32> z);

    /** E's loss before the shared reconstruction term. */
    protected abstract EPhase encoderLoss(Ops tf, GPhase g);

    /** The mean squared difference of two image batches, each tower's part on its own device. */
    static Operand<TFloat32> squaredError(Ops tf, Towers images, Towers targets) {
        return images.zip(tf, targets, (at, x, t) -> at.math.squaredDifference(x, t)).mean(tf);
    }

    static Operand<TFloat32> weighted(Ops tf, float weight, Operand<TFloat32> loss) {
        return tf.math.mul(tf.constant(weight), loss);
    }
}
