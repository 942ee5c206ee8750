package org.facegan.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.facegan.model.ConvChoiceCache;
import org.facegan.model.ConvForm;
import org.facegan.model.ConvPlan;
import org.facegan.model.ConvShape;
import org.facegan.model.ConvTuner;
import org.facegan.model.Devices;
import org.facegan.model.Flops;
import org.facegan.model.ModelConfig;
import org.facegan.model.Precision;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.train.RunDirectory;
import org.facegan.train.StepDraws;
import org.facegan.train.TrainOptions;
import org.facegan.train.TrainingGraph;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code facegan bench train} (and bare {@code facegan bench}): times the reference networks of
 * ../shared/bench/REFERENCE.md (the shared folder beside the repository) on random data, doing the Keras peer's work
 * per step (one D and one G update; E timed apart), and prints one JSON line.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "org.facegan.cli.BenchTrainCommand", // bench's own words for the shared --devices
        description = {"Time training and sampling of a reference network on random data; print one JSON line.",
                "small: 32 px, ngf = ndf = 64; faces64: 64 px, ngf = ndf = 32 (k = 4, z = 100, y = 8, batch 64); dcgan64: 64 px, ngf = ndf = 64, k = 5.",
                "Also reports a D+G+E step as training runs it, sampling at batch 1 and 256, a 2048x2048 matmul's GFLOP/s in the same process (the machine's ceiling), the process's peak resident memory, and the host (as facegan --version prints it)."},
        footer = {"", "Example:", "  facegan bench train --net faces64 --steps 10"})
final class BenchTrainCommand implements Callable<Integer> {
    enum Net { small, faces64, dcgan64 }

    static final int Y_DIM = 8;

    @Option(names = "--net", defaultValue = "small", description = "Reference network: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Net net;

    // not shared with train: the defaults differ (train's is TrainOptions.DEFAULT_BATCH, the reference's is 64)
    @Option(names = "--batch", defaultValue = "64", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--steps", defaultValue = "15", description = "Timed steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Mixin
    PrecisionOption precisionOption;

    @Mixin
    ConvOption convOption;

    @Mixin
    ThreadsOption threadsOption;

    @Mixin
    DevicesOption devicesOption;

    @Option(names = "--reuse-fakes", description = "Time the step of train --reuse-fakes: G's update on the D update's fake batch, all in one session run (g_ms is then that run's time less D's).")
    boolean reuseFakes;

    @Option(names = "--profile", description = "Also print, on stderr, where the D run, the G+E run and a sampling run spend their time by op type (TensorFlow's step stats).")
    boolean profile;

    static ModelConfig reference(Net net) {
        return switch (net) {
            case small -> new ModelConfig("small", "REFERENCE.md small", 32, 100, 64, 64, 64, 4, 0);
            case faces64 -> new ModelConfig("faces64", "REFERENCE.md faces64", 64, 100, 32, 32, 32, 4, 0);
            case dcgan64 -> new ModelConfig("dcgan64", "DCGAN's CelebA network", 64, 100, 64, 64, 64, 5, 0);
        };
    }

    /**
     * The reference network's step, as the Keras peer takes it: DCGAN's optimiser, D's and G's adversarial losses
     * only (no mismatch, attribute or latent terms, whatever train's defaults are), no averaged G. Building it checks
     * --batch, --precision and --threads as train does.
     */
    static TrainOptions referenceStep(ModelConfig m, int batch, String precision, String conv, boolean reuseFakes, int threads) {
        return TrainOptions.builder().model(m).batch(batch).learningRate(2e-4f).mismatch(0f).auxiliary(0f)
                .latentRecon(0f).modeSeeking(0f).gMoments(0f).generatorAverage(0f).precision(precision).conv(conv)
                .reuseFakes(reuseFakes).threads(threads).seed(1).build();
    }

    /** Sampling batch sizes timed besides the training batch: one face (an interactive edit) and a large grid. */
    static final int[] SAMPLE_BATCHES = {1, 256};
    static final int MATMUL_N = 2048;

    @Override
    public Integer call() throws Exception {
        if (steps < 1) throw new IllegalArgumentException("--steps must be at least 1, found " + steps);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be 0 or more, found " + warmup);
        ModelConfig m = reference(net);
        TrainOptions options = referenceStep(m, batch, precisionOption.precision, convOption.conv, reuseFakes,
                threadsOption.threads);
        Devices placement = devicesOption.parse();
        if (placement != null) {
            placement.checkSplits(batch);
            placement.requireAvailable();
        }
        int s = m.imageSize(), z = m.zDim(), b = batch;
        SplittableRandom random = new SplittableRandom(1);
        float[] images = new float[b * s * s * 3];
        for (int i = 0; i < images.length; i++) images[i] = (float) random.nextDouble(-1, 1);
        float[] y = new float[b * Y_DIM];
        for (int i = 0; i < y.length; i++) y[i] = random.nextBoolean() ? 1f : 0f;
        float[] zs = new float[b * z];
        StepDraws.gaussian(random, zs);

        ConvPlan convPlan = TrainingGraph.convPlan(options.conv(), b, placement);
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, options, Y_DIM, placement, convPlan);
            SamplingHeads sampling = new SamplingHeads(graph, m, Y_DIM, convPlan, options.precisionType(),
                    b, SAMPLE_BATCHES[0], SAMPLE_BATCHES[1]);
            try (Session session = Sessions.open(graph, options.threads(), placement);
                 TFloat32 x = Tensors.of(Shape.of(b, s, s, 3), images);
                 TFloat32 yt = Tensors.matrix(b, Y_DIM, y);
                 TFloat32 zt = Tensors.matrix(b, z, zs)) {
                Supplier<Session.Runner> dFed = () -> session.runner().feed(t.realImages, x).feed(t.realY, yt)
                        .feed(t.fakeZ, zt).feed(t.fakeY, yt);
                // with reused fakes G's and E's phases read the D phase's inputs, and G's update runs after D's
                Supplier<Session.Runner> gFed = reuseFakes ? dFed
                        : () -> session.runner().feed(t.genZ, zt).feed(t.genY, yt);
                Runnable dStep = () -> dFed.get().addTarget(t.dTrain).fetch(t.dLoss).run().close();
                Runnable gStep = () -> gFed.get().addTarget(t.gTrain).fetch(t.gLoss).run().close();
                Runnable eStep = () -> gFed.get().addTarget(t.eTrain).fetch(t.eLoss).run().close();
                sampling.refresh(session);
                Runnable sample = sampling.run(session, b, zt, yt);
                // a step as the trainer runs it: the D run, then G and E in one run (with reused fakes: one run)
                Runnable fullStep = () -> {
                    if (!reuseFakes) dStep.run();
                    gFed.get().addTarget(t.gTrain).addTarget(t.eTrain).fetch(t.gLoss).fetch(t.eLoss).run().close();
                };
                double d = time(dStep), g = time(gStep), e = time(eStep), sampleMs = time(sample), full = time(fullStep);
                if (reuseFakes) g -= d; // that run was D's update and G's: G's share is the difference
                if (profile) {
                    StepProfile dProfile = new StepProfile(), geProfile = new StepProfile(), sampleProfile = new StepProfile();
                    for (int i = 0; i < steps; i++) {
                        dProfile.add(graph, () -> dFed.get().addTarget(t.dTrain).fetch(t.dLoss));
                        geProfile.add(graph, () -> gFed.get().addTarget(t.gTrain).addTarget(t.eTrain)
                                .fetch(t.gLoss).fetch(t.eLoss));
                        sampleProfile.add(graph, sampling.fed(session, b, zt, yt));
                    }
                    dProfile.print("D run", 15, System.err);
                    geProfile.print(reuseFakes ? "D+G+E run" : "G+E run", 15, System.err);
                    sampleProfile.print("sampling run (batch " + b + ")", 15, System.err);
                    printForms(m, b, convPlan, options.precisionType());
                }
                double trainMs = d + g;
                double gflop = Flops.trainingStep(m, Y_DIM, b, reuseFakes) / 1e9;
                double fullGflop = gflop + Flops.encoderUpdateWithG(m, b) / 1e9;
                ObjectNode out = RunDirectory.JSON.createObjectNode();
                out.put("tool", "facegan");
                out.put("tensorflow", org.tensorflow.TensorFlow.version());
                out.put("net", net.name());
                out.put("size", s);
                out.put("batch", b);
                out.put("precision", options.precision());
                out.put("conv", options.conv());
                out.put("reuse_fakes", reuseFakes);
                out.put("train_ms_per_step", round(trainMs));
                out.put("d_ms", round(d));
                out.put("g_ms", round(g));
                out.put("e_ms", round(e));
                out.put("d_g_e_step_ms", round(full));
                out.put("train_images_per_s", round(b / (trainMs / 1e3)));
                out.put("sample_images_per_s", round(b / (sampleMs / 1e3)));
                for (int batchSize : SAMPLE_BATCHES) {
                    out.put("sample_images_per_s_b" + batchSize, round(sampleRate(graph, session, sampling, batchSize, z, random)));
                }
                out.put("gflop_per_step", round(gflop));
                out.put("gflops", round(gflop / (trainMs / 1e3)));
                out.put("d_g_e_gflops", round(fullGflop / (full / 1e3)));
                out.put("matmul_gflops", round(MachineProbe.matmulGflops(MATMUL_N, steps)));
                out.put("share_of_matmul", Math.round(gflop / (trainMs / 1e3) / out.get("matmul_gflops").asDouble() * 1000) / 1000.0);
                if (placement == null && options.precisionType() == Precision.FP32) {
                    // the step's convolutions alone (fp32, one device): what is left above it is everything else
                    ConvolutionsAlone.Measured convolutions = ConvolutionsAlone.measure(m, b, steps, reuseFakes);
                    if (profile) convolutions.print(m.kernel(), b, System.err);
                    out.put("conv_alone_ms", round(convolutions.stepMillis()));
                    out.put("conv_alone_over_step", Math.round(convolutions.stepMillis() / trainMs * 1000) / 1000.0);
                }
                out.put("g_params", t.generator.params().parameterCount());
                out.put("d_params", t.discriminator.params().parameterCount());
                out.put("peak_rss_mib", round(MachineProbe.peakRssMiB()));
                out.set("host", RunDirectory.JSON.valueToTree(Version.fields())); // as facegan --version prints it
                System.out.println(RunDirectory.JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The form each stride-2 layer got, for training (forward and both gradients) and for sampling (forward), with
     * its median time against the direct op's from the same interleaved rounds: the tuner's figures under
     * {@code --conv auto} (from this run or the cache), else both forms timed here.
     */
    private static void printForms(ModelConfig m, int batch, ConvPlan plan, Precision precision) {
        System.err.printf(java.util.Locale.ROOT, "conv forms (--conv %s), batch %d, ms of forward+gradients (train) or"
                + " forward (infer), interleaved medians:%n", plan, batch);
        for (boolean training : new boolean[] {true, false}) {
            for (ConvolutionsAlone.Layer l : ConvolutionsAlone.layers(m)) {
                ConvShape shape = new ConvShape(l.transposed(), m.kernel(), l.inSize(), l.in(), l.out());
                ConvForm form = plan.form(shape, batch, training, precision);
                ConvChoiceCache.Choice choice = plan instanceof ConvTuner tuner
                        ? tuner.chosen().get(ConvChoiceCache.key(shape, batch, training)) : null;
                if (choice == null) {
                    java.util.Map<ConvForm, Double> ms = ConvTuner.measure(shape, batch, training,
                            form == ConvForm.DIRECT ? java.util.List.of(ConvForm.DIRECT) : java.util.List.of(ConvForm.DIRECT, form),
                            ConvTuner.BUDGET_MILLIS);
                    choice = new ConvChoiceCache.Choice(form, ms.get(form), ms.get(ConvForm.DIRECT), ms);
                }
                System.err.printf(java.util.Locale.ROOT, "  %-5s %-28s %s%n", training ? "train" : "infer", shape,
                        ConvTuner.describe(shape, choice));
            }
        }
    }

    /** Images per second of G as sampling builds it, at {@code batchSize}. */
    private double sampleRate(Graph graph, Session session, SamplingHeads sampling, int batchSize, int zDim,
                              SplittableRandom random) {
        float[] zs = new float[batchSize * zDim];
        StepDraws.gaussian(random, zs);
        float[] y = new float[batchSize * Y_DIM];
        try (TFloat32 zt = Tensors.matrix(batchSize, zDim, zs); TFloat32 yt = Tensors.matrix(batchSize, Y_DIM, y)) {
            double rate = batchSize / (time(sampling.run(session, batchSize, zt, yt)) / 1e3);
            if (profile) {
                StepProfile p = new StepProfile();
                for (int i = 0; i < steps; i++) p.add(graph, sampling.fed(session, batchSize, zt, yt));
                p.print("sampling run (batch " + batchSize + ")", 15, System.err);
            }
            return rate;
        }
    }

    /** Median milliseconds of {@code steps} runs after {@code warmup} untimed ones. */
    private double time(Runnable work) {
        for (int i = 0; i < warmup; i++) work.run();
        double[] ms = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[steps / 2];
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
