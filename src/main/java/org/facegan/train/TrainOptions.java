package org.facegan.train;

import org.facegan.model.ConvTuner;
import org.facegan.model.ModelConfig;
import org.facegan.model.Precision;

/**
 * Everything that decides what a training run computes. Stored as config.json in the run directory; running the
 * same command again must produce the same options, or the run is refused (see {@link RunDirectory}).
 *
 * @param data dataset spec, e.g. "synthetic" (the built-in faces)
 * @param model the architecture, fully resolved from its preset
 * @param steps total training steps (one D, one G and one E update each)
 * @param batch images per batch (DCGAN: 64)
 * @param learningRate Adam's learning rate for D, G and E (DCGAN: 2e-4)
 * @param beta1 Adam's beta1 (DCGAN: 0.5)
 * @param beta2 Adam's beta2 (0.999)
 * @param mismatch weight of D's loss on real images paired with another image's y (0 turns it off)
 * @param auxiliary weight of the attribute-classification losses of D (real faces) and G (its faces)
 * @param ySampler where generated faces' y come from: empirical, kde:BANDWIDTH or kde:auto ({@link YSampler})
 * @param seed root seed: initial weights, data order, z and y draws all derive from it
 * @param sampleEvery steps between sample grids
 * @param checkpointEvery steps between checkpoints
 * @param keepCheckpoints how many of the latest checkpoints to keep
 * @param threads TensorFlow intra/inter-op threads, 0 for TensorFlow's default; 1 makes kernels deterministic
 * @param encoderRecon weight of E's pixel reconstruction loss on real faces through the frozen G (0 = off;
 *     absent from config.json of runs made before it existed, which read as 0)
 * @param balance how the D/G game is kept open: none, margin[:M] or l2 ({@link Balancing}; absent reads as none)
 * @param labelSmoothing D's target for real faces, 1 = off (one-sided label smoothing; absent reads as 1)
 * @param mode gan, or vaegan (E a VAE's encoder, G its decoder; {@link VaeGan}); absent reads as gan
 * @param reconWeight, klWeight, ganWeight the VAE/GAN's weights (used in vaegan mode only)
 * @param generatorAverage decay of the moving average of G's weights that samples and is exported, 0 = off (the
 *     trained G samples; absent reads as 0) ({@link GeneratorAverage})
 * @param dLearningRate D's own learning rate (the two time-scale update rule of Heusel et al. 2017), 0 = --lr
 *     (absent reads as 0)
 * @param precision what the convolutions and matrix products compute in: fp32, bf16 or fp16 ({@link Precision};
 *     absent reads as fp32)
 * @param lrDecay the share of the run, at its end, over which every learning rate falls linearly to 0; 0 = constant
 *     rates (absent reads as 0)
 * @param reuseFakes G's update judges the D update's fake batch (same z and y, one G forward pass and one session
 *     run a step) instead of fresh draws; GAN mode, no --balance rule, not fp16 (absent reads as false)
 * @param conv the form each stride-2 layer is built in: auto (each layer's fastest on this host, {@link ConvTuner})
 *     or one {@link org.facegan.model.ConvForm} for all; speed only, the same function (absent reads as auto)
 * @param loss the adversarial loss, nonsaturating or hinge ({@link AdversarialLoss}; absent reads as nonsaturating)
 * @param r1 γ of the R1 penalty γ/2·E‖∇ₓD(x, y)‖² on real faces ({@link R1Penalty}), 0 = off (absent reads as 0)
 * @param latentRecon weight of ‖E(G(z, y)) − z‖² in G's loss (InfoGAN's mutual-information term over all of z, E
 *     its recognition network), 0 = off; by default 1 in GAN mode and 0 in VAE/GAN mode (absent reads as 0)
 * @param modeSeeking weight of mode seeking's 1 / (ratio + ε) in G's loss ({@link ModeSeeking}: G's batch in pairs of
 *     one y and two z's, the ratio their faces' mean distance to their z's), 0 = off; by default 0.25 in GAN mode
 *     and 0 in VAE/GAN mode (absent reads as 0)
 * @param gMoments weight of the distance of G's batch from the real faces' running mean and covariance of the 4×4
 *     thumbnail in G's loss ({@link LowResMoments}), 0 = off (absent reads as 0)
 */
public record TrainOptions(
        String data, ModelConfig model, long steps, int batch, float learningRate, float beta1, float beta2,
        float mismatch, float auxiliary, String ySampler, long seed, long sampleEvery, long checkpointEvery,
        int keepCheckpoints, int threads, float encoderRecon, String balance, float labelSmoothing, String mode,
        float reconWeight, float klWeight, float ganWeight, float generatorAverage, String precision, float dLearningRate,
        float lrDecay, boolean reuseFakes, String conv, String loss, float r1, float latentRecon, float modeSeeking,
        float gMoments) {

    public static final String DEFAULT_DATA = "synthetic";
    public static final long DEFAULT_STEPS = 5000;
    public static final int DEFAULT_BATCH = 32;
    /** As --help shows it (a float constant would print as 4.0E-4). */
    public static final String DEFAULT_LEARNING_RATE_TEXT = "4e-4";
    public static final float DEFAULT_LEARNING_RATE = Float.parseFloat(DEFAULT_LEARNING_RATE_TEXT);
    public static final float DEFAULT_BETA1 = 0.5f;
    public static final float DEFAULT_BETA2 = 0.999f;
    public static final float DEFAULT_MISMATCH = 0.5f;
    public static final float DEFAULT_AUXILIARY = 1f;
    public static final long DEFAULT_SEED = 1;
    public static final long DEFAULT_SAMPLE_EVERY = 250;
    public static final long DEFAULT_CHECKPOINT_EVERY = 500;
    public static final int DEFAULT_KEEP_CHECKPOINTS = 3;
    public static final float DEFAULT_ENCODER_RECON = 0f;
    public static final String DEFAULT_BALANCE = "none";
    public static final float DEFAULT_LABEL_SMOOTHING = 1f;
    public static final String GAN = "gan", VAEGAN = "vaegan";
    public static final float DEFAULT_GENERATOR_AVERAGE = 0.99f;
    public static final float DEFAULT_LR_DECAY = 0f;
    public static final String DEFAULT_CONV = "auto";
    public static final String DEFAULT_LOSS = "nonsaturating";
    public static final float DEFAULT_R1 = 0f;
    public static final float DEFAULT_LATENT_RECON = 1f;
    public static final float DEFAULT_MODE_SEEKING = 0.25f;
    public static final float DEFAULT_G_MOMENTS = 0f;

    /** {@code --latent-recon}'s default in {@code mode}: E is the VAE's encoder in vaegan mode, so 0 there. */
    public static float defaultLatentRecon(String mode) {
        return VAEGAN.equals(mode) ? 0f : DEFAULT_LATENT_RECON;
    }

    /** {@code --mode-seeking}'s default in {@code mode} (0 in vaegan mode, where it is refused). */
    public static float defaultModeSeeking(String mode) {
        return VAEGAN.equals(mode) ? 0f : DEFAULT_MODE_SEEKING;
    }

    /** Checks every option once, each error naming its option, the allowed values and the value found. */
    public TrainOptions {
        if (data == null || data.isBlank()) throw new IllegalArgumentException("--data must not be empty");
        if (model == null) throw new IllegalArgumentException("--model is required");
        if (steps < 1) throw new IllegalArgumentException("--steps must be at least 1, found " + steps);
        if (batch < 2 || batch > 4096) {
            throw new IllegalArgumentException("--batch must be in [2, 4096] (batch norm needs 2), found " + batch);
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("--lr must be in (0, 1), found " + learningRate);
        }
        if (!(dLearningRate >= 0 && dLearningRate < 1)) {
            throw new IllegalArgumentException("--d-lr must be 0 (the same as --lr) or in (0, 1), found " + dLearningRate);
        }
        if (!(lrDecay >= 0 && lrDecay <= 1)) {
            throw new IllegalArgumentException("--lr-decay must be in [0, 1] (0 = off), found " + lrDecay);
        }
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("--beta1 must be in [0, 1), found " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), found " + beta2);
        if (!(mismatch >= 0 && mismatch <= 10)) {
            throw new IllegalArgumentException("--mismatch must be in [0, 10], found " + mismatch);
        }
        if (!(auxiliary >= 0 && auxiliary <= 10)) {
            throw new IllegalArgumentException("--auxiliary must be in [0, 10], found " + auxiliary);
        }
        if (!(encoderRecon >= 0 && encoderRecon <= 100)) {
            throw new IllegalArgumentException("--encoder-recon must be in [0, 100], found " + encoderRecon);
        }
        if (ySampler == null) ySampler = YSampler.EMPIRICAL; // runs made before --y-sampler existed
        YSampler.validate(ySampler);
        if (sampleEvery < 1) throw new IllegalArgumentException("--sample-every must be at least 1, found " + sampleEvery);
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("--checkpoint-every must be at least 1, found " + checkpointEvery);
        }
        if (keepCheckpoints < 1) {
            throw new IllegalArgumentException("--keep-checkpoints must be at least 1, found " + keepCheckpoints);
        }
        if (threads < 0) throw new IllegalArgumentException("--threads must be 0 (default) or more, found " + threads);
        if (labelSmoothing == 0) labelSmoothing = DEFAULT_LABEL_SMOOTHING; // runs made before it existed
        balance = Balancing.parse(balance, labelSmoothing).spec(); // validates both, naming the option
        if (mode == null) mode = GAN; // runs made before --mode existed
        if (!mode.equals(GAN) && !mode.equals(VAEGAN)) throw new IllegalArgumentException("--mode must be gan or vaegan, found " + mode);
        if (mode.equals(VAEGAN)) new VaeGan(reconWeight, klWeight, ganWeight); // validates, naming the option
        if (!(generatorAverage >= 0 && generatorAverage < 1)) {
            throw new IllegalArgumentException("--g-average must be 0 (off) or in (0, 1), found " + generatorAverage);
        }
        precision = precision == null ? Precision.FP32.toString() : Precision.parse(precision).toString();
        conv = conv == null ? DEFAULT_CONV : ConvTuner.validate(conv); // absent in runs made before --conv
        if (reuseFakes && Balancing.parse(balance, labelSmoothing).rule() != Balancing.Rule.NONE) {
            throw new IllegalArgumentException("--reuse-fakes needs --balance none (the balancing rules decide between"
                    + " a separate D and G run), found " + balance);
        }
        if (reuseFakes && mode.equals(VAEGAN)) {
            throw new IllegalArgumentException("--reuse-fakes works in --mode gan only (the VAE/GAN's G phase has"
                    + " fakes of its own)");
        }
        if (reuseFakes && Precision.parse(precision).scalesLoss()) {
            throw new IllegalArgumentException("--reuse-fakes does not work with --precision fp16 (a D update"
                    + " skipped for a non-finite gradient would skip G's too); use fp32 or bf16");
        }
        if (loss == null) loss = DEFAULT_LOSS; // runs made before --loss existed
        AdversarialLoss adversarial = AdversarialLoss.parse(loss);
        loss = adversarial.toString();
        if (adversarial == AdversarialLoss.HINGE && Balancing.parse(balance, labelSmoothing).rule() != Balancing.Rule.NONE) {
            throw new IllegalArgumentException("--loss hinge needs --balance none (the balancing rules read D's"
                    + " cross-entropy), found " + balance);
        }
        if (adversarial == AdversarialLoss.HINGE && labelSmoothing != 1) {
            throw new IllegalArgumentException("--loss hinge has no target to smooth: --label-smoothing must be 1,"
                    + " found " + labelSmoothing);
        }
        if (!(r1 >= 0 && r1 <= 1000)) {
            throw new IllegalArgumentException("--r1 must be 0 (off) or a weight γ in (0, 1000], found " + r1);
        }
        if (r1 > 0 && !model.spectralD()) {
            throw new IllegalArgumentException("--r1 needs --d-norm spectral: a batch-normalised D mixes the batch into"
                    + " each D(x), and TensorFlow has no second-order gradient of batch norm; found --d-norm " + model.dNorm());
        }
        if (r1 > 0 && Precision.parse(precision).scalesLoss()) {
            throw new IllegalArgumentException("--r1 does not work with --precision fp16 (its squared gradients"
                    + " overflow the loss scale); use fp32 or bf16");
        }
        if (!(latentRecon >= 0 && latentRecon <= 100)) {
            throw new IllegalArgumentException("--latent-recon must be in [0, 100] (0 = off), found " + latentRecon);
        }
        if (latentRecon > 0 && mode.equals(VAEGAN)) {
            throw new IllegalArgumentException("--latent-recon works in --mode gan only (the VAE/GAN's E is its"
                    + " encoder, trained on real faces)");
        }
        if (!(modeSeeking >= 0 && modeSeeking <= 100)) {
            throw new IllegalArgumentException("--mode-seeking must be in [0, 100] (0 = off), found " + modeSeeking);
        }
        if (modeSeeking > 0 && mode.equals(VAEGAN)) {
            throw new IllegalArgumentException("--mode-seeking works in --mode gan only");
        }
        if (!(gMoments >= 0 && gMoments <= 100)) {
            throw new IllegalArgumentException("--g-moments must be in [0, 100] (0 = off), found " + gMoments);
        }
        if (gMoments > 0 && mode.equals(VAEGAN)) {
            throw new IllegalArgumentException("--g-moments works in --mode gan only");
        }
        if (gMoments > 0 && batch < 4) {
            throw new IllegalArgumentException("--g-moments needs --batch of at least 4 (two halves of two faces each),"
                    + " found " + batch);
        }
    }

    /** The defaults of {@code facegan train}: the built-in faces on the default preset. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder().data(data).model(model).steps(steps).batch(batch).learningRate(learningRate).beta1(beta1)
                .beta2(beta2).mismatch(mismatch).auxiliary(auxiliary).ySampler(ySampler).seed(seed)
                .sampleEvery(sampleEvery).checkpointEvery(checkpointEvery).keepCheckpoints(keepCheckpoints)
                .threads(threads).encoderRecon(encoderRecon).balance(balance).labelSmoothing(labelSmoothing).mode(mode)
                .reconWeight(reconWeight).klWeight(klWeight).ganWeight(ganWeight).generatorAverage(generatorAverage)
                .precision(precision).dLearningRate(dLearningRate).lrDecay(lrDecay).reuseFakes(reuseFakes).conv(conv).loss(loss).r1(r1)
                .latentRecon(latentRecon).modeSeeking(modeSeeking).gMoments(gMoments);
    }

    /** The factor on every learning rate in step {@code step} (0-based): 1, then down to 1 / decay steps at the last. */
    public float learningRateScale(long step) {
        double decaySteps = lrDecay * steps;
        return decaySteps < 1 ? 1f : (float) Math.min(1, (steps - step) / decaySteps);
    }

    /** The same options with another {@code --g-average}. */
    public TrainOptions withGeneratorAverage(float decay) {
        return toBuilder().generatorAverage(decay).build();
    }

    /** The same options in another {@code --precision}. */
    public TrainOptions withPrecision(Precision other) {
        return toBuilder().precision(other.toString()).build();
    }

    /** The same with another learning rate (a rollback's lower one); D's, if it has its own, scales with it. */
    public TrainOptions withLearningRate(float rate) {
        return toBuilder().learningRate(rate).dLearningRate(dLearningRate * (rate / learningRate)).build();
    }

    /** D's learning rate: {@code --d-lr}, or {@code --lr} when that is 0 (TTUR off). */
    public float discriminatorLearningRate() {
        return dLearningRate > 0 ? dLearningRate : learningRate;
    }

    public Precision precisionType() {
        return Precision.parse(precision);
    }

    /** Whether an averaged G exists in the run's checkpoints (and is the one that samples). */
    public boolean averagesGenerator() {
        return generatorAverage > 0;
    }

    /** The VAE/GAN's weights in vaegan mode, else null. */
    public VaeGan vaegan() {
        return mode.equals(VAEGAN) ? new VaeGan(reconWeight, klWeight, ganWeight) : null;
    }

    public AdversarialLoss lossType() {
        return AdversarialLoss.parse(loss);
    }

    public Balancing balancing() {
        return Balancing.parse(balance, labelSmoothing);
    }

    /** TrainOptions field by field, starting from {@code facegan train}'s defaults. */
    public static final class Builder {
        private String data = DEFAULT_DATA;
        private ModelConfig model = ModelConfig.load(ModelConfig.DEFAULT_PRESET);
        private long steps = DEFAULT_STEPS;
        private int batch = DEFAULT_BATCH;
        private float learningRate = DEFAULT_LEARNING_RATE, beta1 = DEFAULT_BETA1, beta2 = DEFAULT_BETA2;
        private float mismatch = DEFAULT_MISMATCH, auxiliary = DEFAULT_AUXILIARY;
        private String ySampler = YSampler.EMPIRICAL;
        private long seed = DEFAULT_SEED, sampleEvery = DEFAULT_SAMPLE_EVERY, checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
        private int keepCheckpoints = DEFAULT_KEEP_CHECKPOINTS, threads = 0;
        private float encoderRecon = DEFAULT_ENCODER_RECON;
        private String balance = DEFAULT_BALANCE;
        private float labelSmoothing = DEFAULT_LABEL_SMOOTHING;
        private String mode = GAN;
        private float reconWeight = VaeGan.DEFAULT_RECON, klWeight = VaeGan.DEFAULT_KL, ganWeight = VaeGan.DEFAULT_GAN;
        private float generatorAverage = DEFAULT_GENERATOR_AVERAGE;
        private String precision = Precision.FP32.toString();
        private float dLearningRate = 0f, lrDecay = DEFAULT_LR_DECAY;
        private boolean reuseFakes;
        private String conv = DEFAULT_CONV;
        private String loss = DEFAULT_LOSS;
        private float r1 = DEFAULT_R1;
        private Float latentRecon; // null: the default of the mode
        private Float modeSeeking; // null: the default of the mode
        private float gMoments = DEFAULT_G_MOMENTS;

        private Builder() {}

        public Builder data(String v) { data = v; return this; }
        public Builder model(ModelConfig v) { model = v; return this; }
        public Builder steps(long v) { steps = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder learningRate(float v) { learningRate = v; return this; }
        public Builder beta1(float v) { beta1 = v; return this; }
        public Builder beta2(float v) { beta2 = v; return this; }
        public Builder mismatch(float v) { mismatch = v; return this; }
        public Builder auxiliary(float v) { auxiliary = v; return this; }
        public Builder ySampler(String v) { ySampler = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder sampleEvery(long v) { sampleEvery = v; return this; }
        public Builder checkpointEvery(long v) { checkpointEvery = v; return this; }
        public Builder keepCheckpoints(int v) { keepCheckpoints = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder encoderRecon(float v) { encoderRecon = v; return this; }
        public Builder balance(String v) { balance = v; return this; }
        public Builder labelSmoothing(float v) { labelSmoothing = v; return this; }
        public Builder mode(String v) { mode = v; return this; }
        public Builder reconWeight(float v) { reconWeight = v; return this; }
        public Builder klWeight(float v) { klWeight = v; return this; }
        public Builder ganWeight(float v) { ganWeight = v; return this; }
        public Builder generatorAverage(float v) { generatorAverage = v; return this; }
        public Builder precision(String v) { precision = v; return this; }
        public Builder precision(Precision v) { precision = v.toString(); return this; }
        public Builder dLearningRate(float v) { dLearningRate = v; return this; }
        public Builder lrDecay(float v) { lrDecay = v; return this; }
        public Builder reuseFakes(boolean v) { reuseFakes = v; return this; }
        public Builder conv(String v) { conv = v; return this; }
        public Builder loss(String v) { loss = v; return this; }
        public Builder loss(AdversarialLoss v) { loss = v.toString(); return this; }
        public Builder r1(float v) { r1 = v; return this; }
        /** @param v the weight, or null for the mode's default */
        public Builder latentRecon(Float v) { latentRecon = v; return this; }
        public Builder latentRecon(float v) { latentRecon = v; return this; }
        /** @param v the weight, or null for the mode's default */
        public Builder modeSeeking(Float v) { modeSeeking = v; return this; }
        public Builder modeSeeking(float v) { modeSeeking = v; return this; }
        public Builder gMoments(float v) { gMoments = v; return this; }

        /** @throws IllegalArgumentException naming the first option out of range */
        public TrainOptions build() {
            return new TrainOptions(data, model, steps, batch, learningRate, beta1, beta2, mismatch, auxiliary, ySampler,
                    seed, sampleEvery, checkpointEvery, keepCheckpoints, threads, encoderRecon, balance, labelSmoothing,
                    mode, reconWeight, klWeight, ganWeight, generatorAverage, precision, dLearningRate, lrDecay,
                    reuseFakes, conv, loss, r1,
                    latentRecon != null ? latentRecon : defaultLatentRecon(mode),
                    modeSeeking != null ? modeSeeking : defaultModeSeeking(mode), gMoments);
        }
    }
}
