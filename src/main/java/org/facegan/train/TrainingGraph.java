package org.facegan.train;

import java.util.ArrayList;
import java.util.List;
import org.facegan.model.ConvPlan;
import org.facegan.model.Device;
import org.facegan.model.ConvTuner;
import org.facegan.model.Devices;
import org.facegan.model.Discriminator;
import org.facegan.model.Encoder;
import org.facegan.model.Generator;
import org.facegan.model.Mode;
import org.facegan.model.ModelConfig;
import org.facegan.model.Network;
import org.facegan.model.Params;
import org.facegan.model.Precision;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Everything one training step runs, built once into one graph, always in the same order (checkpoint and Adam slot
 * names depend on it): the three networks, what each phase minimises ({@link Losses}: D's phase, then G's, then
 * E's on G's batch), one {@link AdamStep} per network, the averaged G ({@code --g-average}) and the sampling G.
 *
 * <p>With {@code --reuse-fakes} (as PyTorch's DCGAN example steps), G's phase takes the D phase's fake batch and
 * the three updates run in one session run, G's phase after D's update; G runs forward once a step instead of
 * twice. {@link Balancing} adds label smoothing and an adaptive L2 penalty on D ({@link L2Balance}). A spectrally
 * normalised D advances its singular-vector estimates after each of its updates ({@code d_step_normalised}), and
 * {@code --r1} adds D's gradient penalty ({@link R1Penalty}). With {@code --g-moments}, D's update also moves the real
 * thumbnails' moments that G's loss reads ({@link LowResMoments}), so with reused fakes G reads this step's.
 *
 * <p>On several {@link Devices}, each input batch is split into data-parallel towers: the networks run tower by
 * tower with synchronised batch norm, the losses are taken on the joined (small) logits, every gradient op runs on
 * its tower's device ({@link ColocatedGradients}), and the one Adam update per network runs on the first device,
 * where the variables live.
 */
public final class TrainingGraph {
    public final Generator generator;
    public final Discriminator discriminator;
    public final Encoder encoder;

    // inputs (see TrainingInputs)
    public final Placeholder<TFloat32> realImages, realY, fakeZ, fakeY, genZ, genY, noise;
    public final Operand<TFloat32> learningRateScale;

    // D phase
    public final Op dTrain;
    public final Operand<TFloat32> dLoss;
    public final Operand<TFloat32> dReal;            // mean sigmoid(D(x, y)), the share D calls real
    public final Operand<TFloat32> dFake;            // mean sigmoid(D(G(z, y), y))
    public final Operand<TFloat32> realLogits;       // D(x, y) of the D phase: [N, 1] (for histograms)
    public final Operand<TFloat32> fakeLogits;       // D(G(fakeZ, fakeY), fakeY) of the D phase: [N, 1]
    public final Operand<TFloat32> dRealLoss;        // D's mean cross-entropy on real faces against 1 (balancing)
    public final Operand<TFloat32> dFakeLoss;        // D's mean cross-entropy on G's faces against 0 (balancing)
    // G phase
    public final Op gTrain;
    public final Operand<TFloat32> gLoss;
    public final Operand<TFloat32> dGen;             // mean sigmoid(D(G(z_g, y_g), y_g)) in G's phase
    public final Operand<TFloat32> gFakes;           // G's batch in G's phase (its batch statistics): [N, H, W, 3]
    // E phase
    public final Op eTrain;
    public final Operand<TFloat32> eLoss;
    public final Operand<TFloat32> encodedZ;         // E(G(genZ, genY)) (VAE/GAN: E's mean of the real faces): [N, Z]
    // sampling
    public final Generator averagedGenerator;        // with --g-average: the G that samples, else null
    public final Op averageStatistics;               // with --g-average: sets its batch-norm statistics from a large
                                                     // batch fed to gen_z and gen_y (run before sampling or saving)
    public final Operand<TFloat32> samples;          // G(genZ, genY) with moving statistics, the averaged G if any
    // --balance l2
    public final Variable<TFloat32> dL2Weight;       // the weight of D's L2 penalty, else null
    public final Op dL2Update;                       // moves that weight (run with G's step), else null

    final LowResMoments realMoments;                 // with --g-moments, the real thumbnails' moments, else null

    // each network's gradients, in the order of its params().trainable() (for tests and diagnostics)
    final List<Output<?>> dGradients, gGradients, eGradients;

    /** The graph of {@code options} with placement left to TensorFlow. */
    public TrainingGraph(Graph graph, TrainOptions options, int yDim) {
        this(graph, options, yDim, null);
    }

    /**
     * @param devices where the ops go, one data-parallel tower per device (the batch split evenly over them, the
     *     variables on the first); null leaves placement to TensorFlow
     */
    public TrainingGraph(Graph graph, TrainOptions options, int yDim, Devices devices) {
        this(graph, options, yDim, devices, convPlan(options.conv(), options.batch(), devices));
    }

    /**
     * {@code --conv} for a run's towers, tuned at each tower's share of {@code batch}. The tuner times the forms on this
     * process's CPU, so towers on GPUs get the direct ops under auto: cuDNN picks its own algorithm for them, and a
     * form that beats oneDNN's kernels here says nothing about a GPU's. A form named explicitly is built anywhere.
     */
    public static ConvPlan convPlan(String conv, int batch, Devices devices) {
        if (conv.equals("auto") && devices != null && devices.list().stream().anyMatch(Device::isGpu)) {
            System.err.println("conv auto: the towers run on GPUs, so their layers keep TensorFlow's own ops (the tuner times this host's CPU)");
            return ConvPlan.DIRECT;
        }
        return ConvTuner.plan(conv, batch / Math.max(1, devices == null ? 1 : devices.towers().size()), System.err::println);
    }

    /** @param convPlan the form each stride-2 layer is built in ({@code options.conv()} resolved by the caller) */
    public TrainingGraph(Graph graph, TrainOptions options, int yDim, Devices devices, ConvPlan convPlan) {
        Ops tf = devices == null ? Ops.create(graph) : devices.ops(graph);
        List<DeviceSpec> towers = devices == null ? List.of() : devices.towers();
        ModelConfig model = options.model();
        Precision precision = options.precisionType();
        long seed = options.seed();
        generator = new Generator(new Params(tf, Generator.PREFIX, seed * 3 + 1, precision, convPlan), model, yDim);
        discriminator = new Discriminator(new Params(tf, "D", seed * 3 + 2, precision, convPlan), model, yDim);
        encoder = new Encoder(new Params(tf, "E", seed * 3 + 3, precision, convPlan), model, options.vaegan() != null);
        TrainingInputs in = new TrainingInputs(tf, model, yDim, towers);
        realImages = in.realImages; realY = in.realY; fakeZ = in.fakeZ; fakeY = in.fakeY;
        genZ = in.genZ; genY = in.genY; noise = in.noise; learningRateScale = in.learningRateScale;
        // only a run with --g-moments has these variables, so other runs' checkpoints and exports are unchanged
        realMoments = options.gMoments() > 0 ? new LowResMoments(tf) : null;
        Losses losses = Losses.of(generator, discriminator, encoder, in, options, realMoments);
        boolean reuseFakes = options.reuseFakes(), placeGradients = towers.size() > 1;

        Ops dScope = tf.withSubScope("d_phase");
        Losses.DPhase d = losses.discriminator(dScope);
        L2Balance l2 = options.balancing().rule() == Balancing.Rule.L2 ? new L2Balance(tf) : null;
        dL2Weight = l2 == null ? null : l2.weight;
        dLoss = dScope.withName("d_loss").identity(l2 == null ? d.loss() : l2.penalised(dScope, d.loss(), discriminator));
        realLogits = d.realLogits();
        fakeLogits = d.fakeLogits();
        dRealLoss = GanLoss.meanCrossEntropy(dScope, realLogits, 1f);
        dFakeLoss = GanLoss.meanCrossEntropy(dScope, fakeLogits, 0f);
        dReal = GanLoss.mean(dScope, dScope.math.sigmoid(realLogits));
        dFake = GanLoss.mean(dScope, dScope.math.sigmoid(fakeLogits));
        List<Op> dStatistics = new ArrayList<>(losses.dStatistics.updates(dScope));
        if (realMoments != null) dStatistics.addAll(realMoments.update(dScope, in.realImages)); // D's run has the real batch
        // With reused fakes D and G update in one session run, so D's update is built first: G's phase judges the
        // D phase's fake batch (G's activations from that pass, the same z and y) with D's updated weights, which is
        // exactly the two-run step with gen_z = fake_z and gen_y = fake_y, one G forward pass fewer.
        AdamStep dStep = reuseFakes ? step(tf, graph, "d_adam", options, dLoss, discriminator, dStatistics, List.of(),
                placeGradients) : null;
        Op dUpdate = reuseFakes ? withPowerIteration(tf, dStep.update()) : null;

        Ops gScope = reuseFakes ? tf.withSubScope("g_phase").withControlDependencies(List.of(dUpdate))
                : tf.withSubScope("g_phase");
        Losses.GPhase g = losses.generator(gScope, d);
        gLoss = gScope.withName("g_loss").identity(g.loss());
        dL2Update = l2 == null ? null : l2.update(gScope, g.adversarial());
        dGen = GanLoss.mean(gScope, gScope.math.sigmoid(g.logits()));
        gFakes = g.fakes().joined(gScope);

        Ops eScope = tf.withSubScope("e_phase");
        Losses.EPhase e = losses.encoder(eScope, g);
        encodedZ = e.encodedZ();
        eLoss = eScope.withName("e_loss").identity(e.loss());
        List<Op> eStatistics = losses.eStatistics.updates(eScope);

        if (dStep == null) {
            dStep = step(tf, graph, "d_adam", options, dLoss, discriminator, dStatistics, List.of(), placeGradients);
            dUpdate = withPowerIteration(tf, dStep.update());
        }
        dTrain = dUpdate;
        dGradients = dStep.gradients();
        // E's loss may run through G (VAE/GAN, --encoder-recon), and G's through E (--latent-recon). Each update
        // then waits until the other's gradients are done, or it could change weights under the other's backward
        // pass (they share one session run): G's gradients wait for E's, and E's update for G's gradients.
        AdamStep.Pending ePending = AdamStep.gradientsForTraining(tf, graph, "e_adam", options, eLoss, encoder,
                List.of(), placeGradients);
        List<Op> afterE = losses.encoderReadsGenerator() ? List.of(ePending.ready()) : List.of();
        AdamStep gStep = generatorStep(tf, graph, gScope, losses, options, afterE, placeGradients);
        List<Op> afterG = losses.generatorReadsEncoder() ? List.of(gStep.gradientsReady()) : List.of();
        AdamStep eStep = ePending.apply(options, learningRateScale, eStatistics, afterG);
        eTrain = eStep.update();
        eGradients = eStep.gradients();
        gGradients = gStep.gradients();

        if (options.averagesGenerator()) {
            GeneratorAverage average = new GeneratorAverage(tf, model, yDim, seed * 3 + 1, generator.params());
            averagedGenerator = average.averaged;
            List<Op> averaging = average.update(tf.withSubScope("g_average")
                    .withControlDependencies(List.of(gStep.update())), generator, options.generatorAverage());
            gTrain = tf.withName("g_step_averaged").withControlDependencies(averaging).noOp();
            averageStatistics = tf.withName("g_average_statistics").withControlDependencies(
                    average.standingStatistics(tf.withSubScope("g_average_statistics"), genZ, genY)).noOp();
        } else {
            averagedGenerator = null;
            averageStatistics = null;
            gTrain = gStep.update();
        }
        samples = (averagedGenerator == null ? generator : averagedGenerator)
                .apply(tf.withSubScope("sample"), genZ, genY, Mode.INFERENCE);
    }

    /**
     * D's update followed by one power iteration of its spectral normalisations on the updated weights (nothing
     * more with batch norm): every reader of the old estimates, forward and backward, has run by then.
     */
    private Op withPowerIteration(Ops tf, Op update) {
        List<Op> iteration = discriminator.powerIteration(
                tf.withSubScope("d_power_iteration").withControlDependencies(List.of(update)));
        return iteration.isEmpty() ? update : tf.withName("d_step_normalised").withControlDependencies(iteration).noOp();
    }

    /** G's Adam step on {@link #gLoss}, with G's batch statistics, after {@code waitFor}. */
    private AdamStep generatorStep(Ops tf, Graph graph, Ops gScope, Losses losses, TrainOptions options, List<Op> waitFor,
                                   boolean placeGradients) {
        List<Op> gStatistics = losses.gStatistics.updates(waitFor.isEmpty() ? gScope : gScope.withControlDependencies(waitFor));
        return step(tf, graph, "g_adam", options, gLoss, generator, gStatistics, waitFor, placeGradients);
    }

    private AdamStep step(Ops tf, Graph graph, String name, TrainOptions options, Operand<TFloat32> loss, Network net,
                          List<Op> statistics, List<Op> waitFor, boolean placeGradients) {
        return AdamStep.forTraining(tf, graph, name, options, learningRateScale, loss, net, statistics, waitFor,
                placeGradients);
    }
}
