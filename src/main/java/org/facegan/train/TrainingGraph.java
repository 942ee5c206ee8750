package org.facegan.train;

import java.util.ArrayList;
import java.util.List;
import org.facegan.model.Devices;
import org.facegan.model.Discriminator;
import org.facegan.model.Encoder;
import org.facegan.model.Generator;
import org.facegan.model.Mode;
import org.facegan.model.ModelConfig;
import org.facegan.model.Network;
import org.facegan.model.Params;
import org.facegan.model.Precision;
import org.facegan.model.Towers;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Everything one training step runs, built once into one graph (always in the same order, because checkpoint
 * and Adam slot names depend on it):
 *
 * <ul>
 *   <li>D phase: D(x, y_real) against D(G(z, y_fake), y_fake) and, weighted by {@code mismatch}, against
 *       D(x, y_fake): a real face with another face's attributes is fake too (the matching-aware discriminator of
 *       Reed et al. 2016, "Generative Adversarial Text to Image Synthesis"); D's attribute head learns the real
 *       faces' attributes (weighted by {@code auxiliary}); only D's variables move.</li>
 *   <li>G phase: non-saturating loss on D(G(z_g, y_g), y_g) with fresh z, plus (weighted by {@code auxiliary})
 *       the attribute head's cross-entropy against y_g; only G's variables move.</li>
 *   <li>E phase, in the same session run as G's: E learns to invert G, ||E(G(z_g, y_g)) - z_g||^2 with G's output
 *       held constant; only E's variables move. With {@code encoderRecon} > 0, E is also fine-tuned on the real
 *       faces: ||G(E(x), y) - x||^2 (mean over pixels) through G on its moving statistics, as in Perarnau et al.
 *       2016 ("Invertible Conditional GANs for image editing"); G is not updated by it.</li>
 *   <li>With {@link Hyper#reuseFakes()} ({@code --reuse-fakes}, as PyTorch's DCGAN example steps): G's phase takes
 *       the D phase's fake batch instead of fresh z, and the three updates run in one session run, G's phase after
 *       D's update; G runs forward once a step instead of twice.</li>
 *   <li>Sampling: G in inference mode (moving statistics), for the sample grid.</li>
 * </ul>
 *
 * In VAE/GAN mode ({@link VaeGan}) E is the VAE's encoder instead: D also judges reconstructions G(μ + σε, y) as
 * fake, G (the decoder) adds the reconstruction error to its GAN loss on prior samples and reconstructions, and E
 * minimises reconstruction error plus KL. {@link Balancing} adds label smoothing and an adaptive L2 penalty on D.
 *
 * One Adam per network through addGradients/applyGradients: {@code minimize} would differentiate against every
 * variable in the graph and let a D step move G.
 *
 * <p>On several {@link Devices}, each input batch is split into data-parallel {@link Towers}: the networks run
 * tower by tower with synchronised batch norm, the losses are taken on the joined (small) logits, every gradient
 * op runs on its tower's device ({@link ColocatedGradients}), and the one Adam update per network runs on the first
 * device, where the variables live.
 */
public final class TrainingGraph {
    public final Generator generator;
    public final Discriminator discriminator;
    public final Encoder encoder;

    // inputs
    public final Placeholder<TFloat32> realImages;   // [N, S, S, 3]
    public final Placeholder<TFloat32> realY;        // [N, A]
    public final Placeholder<TFloat32> fakeZ;        // [N, Z] for the D phase
    public final Placeholder<TFloat32> fakeY;        // [N, A]
    public final Placeholder<TFloat32> genZ;         // [N, Z] for the G and E phases (with reused fakes: sampling)
    public final Placeholder<TFloat32> genY;         // [N, A]
    public final Placeholder<TFloat32> noise;        // [N, Z]: VAE/GAN's ε (the D run is fed gen_z, the G run fake_z)
    public final Operand<TFloat32> learningRateScale; // scalar, 1 unless fed: multiplies every learning rate (--lr-decay)

    // D phase
    public final Op dTrain;
    public final Operand<TFloat32> dLoss;
    public final Operand<TFloat32> dReal;            // mean sigmoid(D(x, y)), the share D calls real
    public final Operand<TFloat32> dFake;            // mean sigmoid(D(G(z, y), y))
    public final Operand<TFloat32> realLogits;       // D(x, y) of the D phase: [N, 1] (for histograms)
    public final Operand<TFloat32> fakeLogits;       // D(G(fakeZ, fakeY), fakeY) of the D phase: [N, 1]
    public final Operand<TFloat32> encodedZ;         // E(G(genZ, genY)) of the E phase: [N, Z]
    // G and E phases
    public final Op gTrain;
    public final Op eTrain;
    public final Operand<TFloat32> gLoss;
    public final Operand<TFloat32> dGen;             // mean sigmoid(D(G(z_g, y_g), y_g)) in G's phase
    public final Operand<TFloat32> eLoss;
    // sampling
    public final Generator averagedGenerator;        // with --g-average: the G that samples, else null
    public final Op averageStatistics;               // with --g-average: sets its batch-norm statistics from a large
                                                     // batch fed to gen_z and gen_y (run before sampling or saving)
    public final Operand<TFloat32> samples;          // G(genZ, genY) with moving statistics, the averaged G if any

    // balancing (seed 003)
    public final Operand<TFloat32> dRealLoss;        // D's mean cross-entropy on real faces against 1
    public final Operand<TFloat32> dFakeLoss;        // D's mean cross-entropy on G's faces against 0
    public final Variable<TFloat32> dL2Weight;       // with --balance l2: the weight of D's L2 penalty, else null
    public final Op dL2Update;                       // with --balance l2: moves that weight (run with G's step)

    // each network's gradients, in the order of its params().trainable() (for tests and diagnostics)
    final List<Output<?>> dGradients, gGradients, eGradients;

    public TrainingGraph(Graph graph, ModelConfig model, int yDim, Hyper hyper, long seed) {
        this(graph, model, yDim, hyper, seed, Balancing.NONE);
    }

    public TrainingGraph(Graph graph, ModelConfig model, int yDim, Hyper hyper, long seed, Balancing balancing) {
        this(graph, model, yDim, hyper, seed, balancing, null);
    }

    /**
     * @param devices where the ops go, one data-parallel tower per device (the batch split evenly over them, the
     *     variables on the first); null leaves placement to TensorFlow
     */
    public TrainingGraph(Graph graph, ModelConfig model, int yDim, Hyper hyper, long seed, Balancing balancing,
                         Devices devices) {
        Ops tf = devices == null ? Ops.create(graph) : devices.ops(graph);
        List<DeviceSpec> towers = devices == null ? List.of() : devices.towers();
        Precision precision = hyper.precision();
        generator = new Generator(new Params(tf, Generator.PREFIX, seed * 3 + 1, precision), model, yDim);
        discriminator = new Discriminator(new Params(tf, "D", seed * 3 + 2, precision), model, yDim);
        VaeGan vaegan = hyper.vaegan();
        encoder = new Encoder(new Params(tf, "E", seed * 3 + 3, precision), model, vaegan != null);

        int s = model.imageSize();
        realImages = tf.withName("real_images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
        realY = tf.withName("real_y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, yDim)));
        fakeZ = tf.withName("fake_z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, model.zDim())));
        fakeY = tf.withName("fake_y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, yDim)));
        genZ = tf.withName("gen_z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, model.zDim())));
        genY = tf.withName("gen_y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, yDim)));
        noise = tf.withName("noise").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, model.zDim())));
        learningRateScale = tf.withName("learning_rate_scale").placeholderWithDefault(tf.constant(1f), Shape.scalar());
        float pixels = s * s * 3f;
        Towers realT = Towers.split(tf, realImages, towers), realYT = realT.splitLike(tf, realY);
        Towers fakeZT = Towers.split(tf, fakeZ, towers), fakeYT = fakeZT.splitLike(tf, fakeY);
        Towers genZT = Towers.split(tf, genZ, towers), genYT = genZT.splitLike(tf, genY);

        // D phase: G's statistics from this call are not kept (G's own phase updates them), unless G's phase reuses
        // this fake batch: then this is G's only pass.
        boolean reuseFakes = hyper.reuseFakes();
        Ops dScope = tf.withSubScope("d_phase");
        Towers fakeForD = generator.apply(dScope, fakeZT, fakeYT, Mode.TRAIN);
        if (!reuseFakes) generator.discardStatistics();
        // the trunk's features of the real faces serve both their own y and the mismatched y below
        Towers realFeatures = discriminator.features(dScope, realT, Mode.TRAIN);
        Discriminator.Judgement real = discriminator.judge(dScope, realFeatures, realYT);
        realLogits = real.logits();
        fakeLogits = discriminator.apply(dScope, fakeForD, fakeYT, Mode.TRAIN).logits();
        Operand<TFloat32> adversarialD = GanLoss.discriminator(dScope, realLogits, fakeLogits, balancing.realLabel());
        if (vaegan != null) {
            // VAE/GAN: reconstructions of the real faces are fakes too, weighted with the prior samples half and half
            Encoder.Posterior q = encoder.posterior(dScope, realT, Mode.TRAIN);
            encoder.discardStatistics();
            Towers reconstructed = generator.apply(dScope, realT.splitLike(dScope,
                    dScope.stopGradient(VaeGan.sample(dScope, q.mean(), q.logVariance(), noise))), realYT, Mode.TRAIN);
            generator.discardStatistics();
            Operand<TFloat32> reconstructedLogits = discriminator.apply(dScope, reconstructed, realYT, Mode.TRAIN).logits();
            adversarialD = dScope.math.add(GanLoss.meanCrossEntropy(dScope, realLogits, balancing.realLabel()),
                    dScope.math.mul(dScope.constant(0.5f), dScope.math.add(GanLoss.meanCrossEntropy(dScope, fakeLogits, 0f),
                            GanLoss.meanCrossEntropy(dScope, reconstructedLogits, 0f))));
        }
        Operand<TFloat32> lossD = dScope.math.add(adversarialD,
                weighted(dScope, hyper.auxiliary(), GanLoss.meanCrossEntropy(dScope, real.attributeLogits(), realY)));
        if (hyper.mismatch() > 0) {
            Operand<TFloat32> mismatched = discriminator.judge(dScope, realFeatures, fakeYT).logits();
            lossD = dScope.math.add(lossD, weighted(dScope, hyper.mismatch(),
                    GanLoss.meanCrossEntropy(dScope, mismatched, 0f)));
        }
        if (balancing.rule() == Balancing.Rule.L2) {
            dL2Weight = tf.withName("balance_d_l2").variable(tf.constant(0f));
            lossD = dScope.math.add(lossD, dScope.math.mul(dL2Weight, squaredWeights(dScope, discriminator)));
        } else {
            dL2Weight = null;
        }
        dLoss = dScope.withName("d_loss").identity(lossD);
        dRealLoss = GanLoss.meanCrossEntropy(dScope, realLogits, 1f);
        dFakeLoss = GanLoss.meanCrossEntropy(dScope, fakeLogits, 0f);
        dReal = GanLoss.mean(dScope, dScope.math.sigmoid(realLogits));
        dFake = GanLoss.mean(dScope, dScope.math.sigmoid(fakeLogits));
        List<Op> dStats = discriminator.statisticUpdates(dScope);

        boolean placeGradients = towers.size() > 1;
        // With reused fakes D and G update in one session run, so D's update is built first: G's phase judges the
        // D phase's fake batch (G's activations from that pass, the same z and y) with D's updated weights, which is
        // exactly the two-run step with gen_z = fake_z and gen_y = fake_y, one G forward pass fewer.
        Step dStep = reuseFakes ? step(tf, graph, "d_adam", hyper, learningRateScale, dLoss, discriminator, dStats,
                List.of(), placeGradients) : null;

        // G phase: D's statistics from judging G's batch are not kept.
        Ops gScope = reuseFakes ? tf.withSubScope("g_phase").withControlDependencies(List.of(dStep.update()))
                : tf.withSubScope("g_phase");
        Operand<TFloat32> phaseZ = reuseFakes ? fakeZ : genZ, phaseY = reuseFakes ? fakeY : genY;
        Towers phaseYT = reuseFakes ? fakeYT : genYT;
        Towers fakeForG = reuseFakes ? fakeForD : generator.apply(gScope, genZT, genYT, Mode.TRAIN);
        Discriminator.Judgement judged = discriminator.apply(gScope, fakeForG, phaseYT, Mode.TRAIN);
        discriminator.discardStatistics();
        Operand<TFloat32> gAdversarial = GanLoss.generator(gScope, judged.logits());
        Operand<TFloat32> gGan = gScope.math.add(gAdversarial,
                weighted(gScope, hyper.auxiliary(), GanLoss.meanCrossEntropy(gScope, judged.attributeLogits(), phaseY)));
        Operand<TFloat32> vaeReconstruction = null;
        Encoder.Posterior posterior = null;
        if (vaegan != null) {
            // the decoder: GAN loss on prior samples and reconstructions, plus the reconstruction error
            posterior = encoder.posterior(gScope, realT, Mode.TRAIN);
            Towers reconstructed = generator.apply(gScope, realT.splitLike(gScope,
                    VaeGan.sample(gScope, posterior.mean(), posterior.logVariance(), noise)), realYT, Mode.TRAIN);
            Operand<TFloat32> onReconstructions = GanLoss.generator(gScope,
                    discriminator.apply(gScope, reconstructed, realYT, Mode.TRAIN).logits());
            discriminator.discardStatistics();
            gAdversarial = gScope.math.mul(gScope.constant(0.5f), gScope.math.add(gAdversarial, onReconstructions));
            gGan = gScope.math.add(gAdversarial,
                    weighted(gScope, hyper.auxiliary(), GanLoss.meanCrossEntropy(gScope, judged.attributeLogits(), phaseY)));
            vaeReconstruction = squaredError(gScope, reconstructed, realT);
            gGan = gScope.math.add(weighted(gScope, vaegan.ganWeight(), gGan),
                    weighted(gScope, vaegan.reconWeight(), vaeReconstruction));
        }
        gLoss = gScope.withName("g_loss").identity(gGan);
        dL2Update = dL2Weight == null ? null : l2Update(gScope, dL2Weight, gAdversarial);
        dGen = GanLoss.mean(gScope, gScope.math.sigmoid(judged.logits()));

        // E phase on the G phase's images, G frozen.
        Ops eScope = tf.withSubScope("e_phase");
        Operand<TFloat32> lossE;
        if (vaegan != null) {
            // E as the VAE's encoder: the reconstruction error through G (G not updated by it) and the prior term
            encodedZ = posterior.mean();
            lossE = eScope.math.add(weighted(eScope, vaegan.reconWeight(), vaeReconstruction),
                    weighted(eScope, vaegan.klWeight() / pixels, VaeGan.kl(eScope, posterior.mean(), posterior.logVariance())));
        } else {
            Operand<TFloat32> zHat = encoder.apply(eScope, fakeForG.map(eScope, (at, x) -> at.stopGradient(x)), Mode.TRAIN)
                    .joined(eScope);
            encodedZ = zHat;
            lossE = GanLoss.mean(eScope, eScope.math.squaredDifference(zHat, phaseZ));
        }
        if (hyper.encoderRecon() > 0) {
            Towers zReal = encoder.apply(eScope, realT, Mode.TRAIN);
            Towers reconstructed = generator.apply(eScope, zReal, realYT, Mode.INFERENCE);
            lossE = eScope.math.add(lossE, weighted(eScope, hyper.encoderRecon(), squaredError(eScope, reconstructed, realT)));
        }
        eLoss = eScope.withName("e_loss").identity(lossE);
        List<Op> eStats = encoder.statisticUpdates(eScope);

        if (dStep == null) {
            dStep = step(tf, graph, "d_adam", hyper, learningRateScale, dLoss, discriminator, dStats, List.of(),
                    placeGradients);
        }
        dTrain = dStep.update();
        dGradients = dStep.gradients();
        // E's loss may run through G (VAE/GAN, --encoder-recon): G's update then waits until E's gradients are done,
        // or it could change G's weights under E's backward pass (they share one session run)
        Step eStep = step(tf, graph, "e_adam", hyper, learningRateScale, eLoss, encoder, eStats, List.of(), placeGradients);
        eTrain = eStep.update();
        eGradients = eStep.gradients();
        boolean eReadsG = vaegan != null || hyper.encoderRecon() > 0;
        List<Op> gStats = generator.statisticUpdates(eReadsG ? gScope.withControlDependencies(List.of(eStep.gradientsReady())) : gScope);
        Step gStep = step(tf, graph, "g_adam", hyper, learningRateScale, gLoss, generator, gStats,
                eReadsG ? List.of(eStep.gradientsReady()) : List.of(), placeGradients);
        gGradients = gStep.gradients();
        Op gUpdate = gStep.update();
        if (hyper.generatorAverage() > 0) {
            GeneratorAverage average = new GeneratorAverage(tf, model, yDim, seed * 3 + 1, generator.params());
            averagedGenerator = average.averaged;
            List<Op> averaging = average.update(tf.withSubScope("g_average").withControlDependencies(List.of(gUpdate)),
                    generator, hyper.generatorAverage());
            gTrain = tf.withName("g_step_averaged").withControlDependencies(averaging).noOp();
            averageStatistics = tf.withName("g_average_statistics").withControlDependencies(
                    average.standingStatistics(tf.withSubScope("g_average_statistics"), genZ, genY)).noOp();
        } else {
            averagedGenerator = null;
            averageStatistics = null;
            gTrain = gUpdate;
        }

        samples = (averagedGenerator == null ? generator : averagedGenerator)
                .apply(tf.withSubScope("sample"), genZ, genY, Mode.INFERENCE);
    }

    /**
     * Half the sum of squares of D's weights (kernels and dense matrices; not biases or batch-norm parameters), so
     * that its gradient times the L2 weight is Torch's weight decay, as seed 003 used it.
     */
    private static Operand<TFloat32> squaredWeights(Ops tf, Network net) {
        Operand<TFloat32> sum = tf.constant(0f);
        for (Variable<TFloat32> v : net.params().trainable()) {
            if (v.op().name().endsWith("_w")) sum = tf.math.add(sum, tf.nn.l2Loss(v));
        }
        return sum;
    }

    /**
     * Seed 003's adaptive L2: the weight rises by {@link Balancing#L2_STEP} when G's adversarial loss is above
     * {@link Balancing#G_LOSS_HIGH} (D too strong), falls by as much (never below 0) when it is below
     * {@link Balancing#G_LOSS_LOW}.
     */
    private static Op l2Update(Ops tf, Variable<TFloat32> weight, Operand<TFloat32> gAdversarial) {
        Operand<TFloat32> up = tf.dtypes.cast(tf.math.greater(gAdversarial, tf.constant(Balancing.G_LOSS_HIGH)), TFloat32.class);
        Operand<TFloat32> down = tf.dtypes.cast(tf.math.less(gAdversarial, tf.constant(Balancing.G_LOSS_LOW)), TFloat32.class);
        Operand<TFloat32> moved = tf.math.add(weight, tf.math.mul(tf.constant(Balancing.L2_STEP), tf.math.sub(up, down)));
        return tf.withName("balance_d_l2_update").assign(weight, tf.math.maximum(moved, tf.constant(0f)));
    }

    /** The mean squared difference of two image batches, each tower's part on its own device. */
    private static Operand<TFloat32> squaredError(Ops tf, Towers images, Towers targets) {
        return images.zip(tf, targets, (at, x, t) -> at.math.squaredDifference(x, t)).mean(tf);
    }

    private static Operand<TFloat32> weighted(Ops tf, float weight, Operand<TFloat32> loss) {
        return tf.math.mul(tf.constant(weight), loss);
    }

    /** A network's update, the op that marks all of its gradients computed, and those gradients (times the fp16 loss scale). */
    record Step(Op update, Op gradientsReady, List<Output<?>> gradients) {}

    /**
     * Adam on exactly this network's variables, then its moving statistics, after {@code waitFor}; with
     * {@code placeGradients}, each gradient op on the device of the op it differentiates (towers).
     */
    private static Step step(Ops tf, Graph graph, String name, Hyper hyper, Operand<TFloat32> rateScale,
                             Operand<TFloat32> loss, Network net, List<Op> statistics, List<Op> waitFor,
                             boolean placeGradients) {
        LossScale scale = hyper.precision().scalesLoss()
                ? new LossScale(tf, name, LossScale.Settings.DEFAULT) : null;
        float rate = net instanceof Discriminator ? hyper.discriminatorLearningRate() : hyper.learningRate();
        return adamStep(tf, graph, name, tf.math.mul(tf.constant(rate), rateScale), hyper.beta1(), hyper.beta2(), loss,
                net, statistics, waitFor, scale, placeGradients);
    }

    /**
     * One Adam update of {@code net}'s trainable variables on {@code loss}, gated on all of its gradients, then the
     * network's moving statistics: the update every network of facegan (and the evaluation's classifier) uses.
     */
    public static Op adamStep(Ops tf, Graph graph, String name, float learningRate, float beta1, float beta2,
                              Operand<TFloat32> loss, Network net, List<Op> statistics) {
        return adamStep(tf, graph, name, tf.constant(learningRate), beta1, beta2, loss, net, statistics, List.of(), null)
                .update();
    }

    /** The same with {@code lossScale} (null: none) between the loss and the update. */
    static Step adamStep(Ops tf, Graph graph, String name, Operand<TFloat32> learningRate, float beta1, float beta2,
                         Operand<TFloat32> loss, Network net, List<Op> statistics, List<Op> waitFor, LossScale lossScale) {
        return adamStep(tf, graph, name, learningRate, beta1, beta2, loss, net, statistics, waitFor, lossScale, false);
    }

    private static Step adamStep(Ops tf, Graph graph, String name, Operand<TFloat32> learningRate, float beta1,
                                 float beta2, Operand<TFloat32> loss, Network net, List<Op> statistics, List<Op> waitFor,
                                 LossScale lossScale, boolean placeGradients) {
        List<Variable<TFloat32>> vars = net.params().trainable();
        Output<?>[] wrt = vars.stream().map(Variable::asOutput).toArray(Output[]::new);
        Output<?> scaledLoss = (lossScale == null ? loss : lossScale.scaled(tf, loss)).asOutput();
        Output<?>[] grads = placeGradients ? ColocatedGradients.add(graph, name + "_gradients", scaledLoss, wrt)
                : graph.addGradients(scaledLoss, wrt);
        // Gate: no update starts before every gradient is computed. Variables are read by reference, so an early
        // in-place Adam update of layer k could otherwise race the backward ops of lower layers that still read
        // layer k's weights (TF1's GATE_GRAPH); it also makes single-threaded runs repeat bit for bit.
        List<Op> computed = new ArrayList<>(waitFor);
        for (Output<?> g : grads) computed.add(tf.identity(g));
        Op ready = tf.withControlDependencies(computed).noOp();
        Ops gated = tf.withControlDependencies(List.of(ready));
        LossScale.Gated scaled = lossScale == null ? null : lossScale.gate(gated, grads);
        List<GradAndVar<? extends org.tensorflow.types.family.TType>> pairs = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            @SuppressWarnings("unchecked")
            Output<TFloat32> grad = scaled != null ? scaled.gradients().get(i)
                    : (Output<TFloat32>) gated.identity(grads[i]).asOutput();
            pairs.add(new GradAndVar<>(grad, vars.get(i).asOutput()));
        }
        OrderedAdam adam = new OrderedAdam(graph, name, learningRate, beta1, beta2, Hyper.EPSILON);
        Op apply = adam.applyGradients(pairs, name + "_apply");
        List<Op> all = new ArrayList<>(statistics);
        all.add(apply);
        if (scaled != null) all.add(scaled.update());
        return new Step(tf.withName(name + "_step").withControlDependencies(all).noOp(), ready, List.of(grads));
    }

    /**
     * Optimiser hyper-parameters (DCGAN's: Adam 2e-4, beta1 0.5), the weight of D's mismatched-y term and of the
     * auxiliary attribute losses (0 turns either off), and the weight of E's pixel reconstruction loss on real faces
     * (0 = off).
     */
    public record Hyper(float learningRate, float beta1, float beta2, float mismatch, float auxiliary, float encoderRecon,
                        VaeGan vaegan, float generatorAverage, Precision precision, float dLearningRate,
                        boolean reuseFakes) {
        public static final float EPSILON = 1e-7f;

        /** G's update on fresh z (not the D update's fake batch). */
        public Hyper(float learningRate, float beta1, float beta2, float mismatch, float auxiliary, float encoderRecon,
                     VaeGan vaegan, float generatorAverage, Precision precision, float dLearningRate) {
            this(learningRate, beta1, beta2, mismatch, auxiliary, encoderRecon, vaegan, generatorAverage, precision,
                    dLearningRate, false);
        }

        /** The same with G's update on the D update's fake batch, or not ({@code --reuse-fakes}). */
        public Hyper withReusedFakes(boolean reuse) {
            return new Hyper(learningRate, beta1, beta2, mismatch, auxiliary, encoderRecon, vaegan, generatorAverage,
                    precision, dLearningRate, reuse);
        }

        /** D's learning rate the same as G's and E's. */
        public Hyper(float learningRate, float beta1, float beta2, float mismatch, float auxiliary, float encoderRecon,
                     VaeGan vaegan, float generatorAverage, Precision precision) {
            this(learningRate, beta1, beta2, mismatch, auxiliary, encoderRecon, vaegan, generatorAverage, precision, 0f);
        }

        /** D's learning rate: {@code dLearningRate}, or the common one when that is 0 (TTUR off). */
        public float discriminatorLearningRate() {
            return dLearningRate > 0 ? dLearningRate : learningRate;
        }

        /** In float32. */
        public Hyper(float learningRate, float beta1, float beta2, float mismatch, float auxiliary, float encoderRecon,
                     VaeGan vaegan, float generatorAverage) {
            this(learningRate, beta1, beta2, mismatch, auxiliary, encoderRecon, vaegan, generatorAverage, Precision.FP32);
        }

        /** Without an averaged G. */
        public Hyper(float learningRate, float beta1, float beta2, float mismatch, float auxiliary, float encoderRecon,
                     VaeGan vaegan) {
            this(learningRate, beta1, beta2, mismatch, auxiliary, encoderRecon, vaegan, 0f);
        }

        /** The same in another precision. */
        public Hyper withPrecision(Precision other) {
            return new Hyper(learningRate, beta1, beta2, mismatch, auxiliary, encoderRecon, vaegan, generatorAverage, other,
                    dLearningRate, reuseFakes);
        }

        /** A GAN (no VAE/GAN terms). */
        public Hyper(float learningRate, float beta1, float beta2, float mismatch, float auxiliary, float encoderRecon) {
            this(learningRate, beta1, beta2, mismatch, auxiliary, encoderRecon, null);
        }

        /** The same with another learning rate (a rollback's lower one); D's, if it has its own, scales with it. */
        public Hyper withLearningRate(float rate) {
            return new Hyper(rate, beta1, beta2, mismatch, auxiliary, encoderRecon, vaegan, generatorAverage, precision,
                    dLearningRate * (rate / learningRate), reuseFakes);
        }

        /** Without E's reconstruction loss. */
        public Hyper(float learningRate, float beta1, float beta2, float mismatch, float auxiliary) {
            this(learningRate, beta1, beta2, mismatch, auxiliary, 0f);
        }

        public Hyper {
            if (!(encoderRecon >= 0 && encoderRecon <= 100)) {
                throw new IllegalArgumentException("--encoder-recon must be in [0, 100], found " + encoderRecon);
            }
            if (!(auxiliary >= 0 && auxiliary <= 10)) {
                throw new IllegalArgumentException("--auxiliary must be in [0, 10], found " + auxiliary);
            }
            if (!(mismatch >= 0 && mismatch <= 10)) {
                throw new IllegalArgumentException("--mismatch must be in [0, 10], found " + mismatch);
            }
            if (!(learningRate > 0 && learningRate < 1)) {
                throw new IllegalArgumentException("--lr must be in (0, 1), found " + learningRate);
            }
            if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("--beta1 must be in [0, 1), found " + beta1);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), found " + beta2);
            if (precision == null) precision = Precision.FP32;
            if (!(dLearningRate >= 0 && dLearningRate < 1)) {
                throw new IllegalArgumentException("--d-lr must be 0 (the same as --lr) or in (0, 1), found " + dLearningRate);
            }
            if (!(generatorAverage >= 0 && generatorAverage < 1)) {
                throw new IllegalArgumentException("--g-average must be 0 (off) or in (0, 1), found " + generatorAverage);
            }
            if (reuseFakes && vaegan != null) {
                throw new IllegalArgumentException("--reuse-fakes works in --mode gan only (the VAE/GAN's G phase has"
                        + " fakes of its own)");
            }
            if (reuseFakes && precision.scalesLoss()) {
                throw new IllegalArgumentException("--reuse-fakes does not work with --precision fp16 (a D update"
                        + " skipped for a non-finite gradient would skip G's too); use fp32 or bf16");
            }
        }
    }
}
