package org.facegan.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.facegan.data.DataSpec;
import org.facegan.data.FaceDataset;
import org.facegan.export.RunExporter;
import org.facegan.export.SavedModelExport;
import org.facegan.io.AtomicFiles;
import org.facegan.eval.AttributeClassifier;
import org.facegan.eval.NuisanceRegressor;
import org.facegan.model.Device;
import org.facegan.model.Devices;
import org.facegan.model.DiscriminatorNorm;
import org.facegan.model.ModelConfig;
import org.facegan.train.Checkpoints;
import org.facegan.train.DivergencePolicy;
import org.facegan.train.PeriodicEval;
import org.facegan.train.RunDirectory;
import org.facegan.train.SamplePng;
import org.facegan.train.TrainOptions;
import org.facegan.train.VaeGan;
import org.facegan.train.Trainer;
import org.facegan.train.YSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facegan train}: trains (or resumes) a run, then exports it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a conditional DCGAN (G, D and an encoder E) and export it as a SavedModel.",
                "Running the same command again resumes the run from its last checkpoint."},
        footer = {"", "Example:", "  facegan train --data celeba:~/data/celeba --attrs Smiling,Male,Eyeglasses --steps 20000"})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "SPEC", defaultValue = TrainOptions.DEFAULT_DATA,
            description = "Dataset: synthetic[:COUNT] (the built-in faces), celeba:DIR (CelebA as downloaded), lfw:DIR (LFW or LFWcrop + lfw_attributes.txt) or folder:DIR (photos + attributes.csv). Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--attrs", paramLabel = "NAME", split = ",", splitSynopsisLabel = ",",
            description = "Train on these attributes only, in this order. Default: all of the dataset's.")
    List<String> attributes;

    @Option(names = "--split", paramLabel = "train|valid|test|all",
            description = "CelebA partition to train on. Default: train (all when there is no list_eval_partition.txt).")
    String split;

    @Option(names = "--crop", paramLabel = "PX",
            description = "Centre crop of photos before resizing; 0 = the largest centred square. Default: 108 for celeba, 0 for lfw and folder.")
    Integer crop;

    @Option(names = "--model", paramLabel = "PRESET|FILE", defaultValue = ModelConfig.DEFAULT_PRESET,
            description = "Architecture preset (faces32, faces64, dcgan64) or a JSON file. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--upsample", paramLabel = "deconv|resize|KIND,KIND...",
            description = "How G doubles the image: deconv (k4 s2 transposed convolution, DCGAN's) or resize (nearest-neighbour x2 + 3x3 convolution, no checkerboard; Odena et al. 2016), for every layer or one per layer from the 4x4 seed outwards, the last one drawing RGB or, with --g-top, the full-resolution layer (faces32: 3 layers). Default: the model's (deconv in every preset).")
    String upsample;

    @Option(names = "--d-norm", paramLabel = "batch|spectral",
            description = "D's normalisation: batch norm, or spectral normalisation of every weight with no batch norm (Miyato et al. 2018). Default: the model's (batch in every preset).")
    String dNorm;

    @Option(names = "--d-mbstd", paramLabel = "on|off",
            description = "D's dense layers also read the batch's standard deviation of D's features, averaged (ProGAN's minibatch standard deviation), so that a batch of faces less varied than the real ones shows it; inference uses its moving average. Default: the model's (off in every preset).")
    String dMinibatchStddev;

    @Option(names = "--d-thumbnail", paramLabel = "on|off",
            description = "D's dense layers also read the image averaged down to 4x4 (48 values), so that its low-frequency layout (lighting gradients, colours) is a plain input rather than something the convolutions must carry. Default: the model's (on in faces32 and faces64, off in dcgan64).")
    String dThumbnail;

    @Option(names = "--g-skip", paramLabel = "on|off",
            description = "G also draws a 4x4 RGB image from its seed, upsampled bilinearly and added to its output before the tanh (StyleGAN2's skip generator at its lowest resolution), so that a low-frequency field such as a lighting gradient takes one layer. Default: the model's (on in faces32 and faces64, off in dcgan64).")
    String gSkip;

    @Option(names = "--g-top", paramLabel = "CHANNELS",
            description = "G's last transposed convolution draws CHANNELS feature maps at full resolution (batch norm, ReLU) and a 3x3 convolution draws RGB from them, so fine detail is a non-linear function of each pixel's neighbourhood; 0: the last transposed convolution draws RGB (DCGAN's). Default: the model's (32 in faces32, 16 in faces64, 0 in dcgan64).")
    Integer gTop;

    @Option(names = "--run", paramLabel = "DIR",
            description = "Run directory. Default: runs/<model>-<data>[-<non-default options>].")
    Path run;

    @Option(names = "--steps", defaultValue = "" + TrainOptions.DEFAULT_STEPS,
            description = "Training steps (each: one D, one G and one E update). Default: ${DEFAULT-VALUE}.")
    long steps;

    @Option(names = "--batch", defaultValue = "" + TrainOptions.DEFAULT_BATCH,
            description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", defaultValue = TrainOptions.DEFAULT_LEARNING_RATE_TEXT,
            description = "Adam learning rate of D, G and E. Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(names = "--d-lr", paramLabel = "RATE", defaultValue = "0",
            description = "D's own Adam learning rate (two time-scale update rule); 0 = the same as --lr. Default: ${DEFAULT-VALUE}.")
    float dLearningRate;

    @Option(names = "--lr-decay", paramLabel = "SHARE", defaultValue = "" + TrainOptions.DEFAULT_LR_DECAY,
            description = "Share of the run, at its end, over which every learning rate falls linearly to 0; 0 = constant rates. Default: ${DEFAULT-VALUE}.")
    float lrDecay;

    @Option(names = "--beta1", defaultValue = "" + TrainOptions.DEFAULT_BETA1,
            description = "Adam beta1. Default: ${DEFAULT-VALUE}.")
    float beta1;

    @Option(names = "--mismatch", paramLabel = "WEIGHT", defaultValue = "" + TrainOptions.DEFAULT_MISMATCH,
            description = "Weight of D's loss on real faces paired with the wrong attributes (teaches D to check y); 0 = off. Default: ${DEFAULT-VALUE}.")
    float mismatch;

    @Option(names = "--auxiliary", paramLabel = "WEIGHT", defaultValue = "" + TrainOptions.DEFAULT_AUXILIARY,
            description = "Weight of the attribute-classifier losses (D learns real faces' attributes, G is scored on drawing the requested ones); 0 = off. Default: ${DEFAULT-VALUE}.")
    float auxiliary;

    @Option(names = "--loss", paramLabel = "nonsaturating|hinge", defaultValue = TrainOptions.DEFAULT_LOSS,
            description = "Adversarial loss: nonsaturating (cross-entropy for D, -log D(G(z)) for G) or hinge (D: relu(1 - real) + relu(1 + fake), G: -D(G(z))). Default: ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--r1", paramLabel = "GAMMA", defaultValue = "" + TrainOptions.DEFAULT_R1,
            description = "R1 penalty: GAMMA/2 * E||grad_x D(x, y)||^2 on real faces added to D's loss (Mescheder et al. 2018); needs --d-norm spectral; 0 = off. Default: ${DEFAULT-VALUE}.")
    float r1;

    @Option(names = "--y-sampler", paramLabel = "empirical|kde[:B|auto]", defaultValue = YSampler.EMPIRICAL,
            description = "y of generated faces: a random training face's (empirical) or that plus Gaussian noise of bandwidth B (kde:auto picks B by held-out likelihood). Default: ${DEFAULT-VALUE}.")
    String ySampler;

    @Option(names = "--encoder-recon", paramLabel = "WEIGHT", defaultValue = "" + TrainOptions.DEFAULT_ENCODER_RECON,
            description = "Weight of E's pixel reconstruction loss on real faces through the frozen G, ||G(E(x), y) - x||^2; 0 = off. Default: ${DEFAULT-VALUE}.")
    float encoderRecon;

    @Option(names = "--latent-recon", paramLabel = "WEIGHT",
            description = "Weight of ||E(G(z, y)) - z||^2 in G's loss (InfoGAN's mutual-information term, E the recognition network): G must show all of z in the face; 0 = off. Default: " + TrainOptions.DEFAULT_LATENT_RECON + " (0 with --mode vaegan, where E is the VAE's encoder).")
    Float latentRecon;

    @Option(names = "--mode-seeking", paramLabel = "WEIGHT",
            description = "Weight of mode seeking's 1/(ratio + 1e-5) in G's loss (Mao et al. 2019): G's batch in pairs of one y and two z's, ratio = mean|G(z1, y) - G(z2, y)| / mean|z1 - z2|, so that G pays for drawing alike faces from different z; 0 = off. Default: " + TrainOptions.DEFAULT_MODE_SEEKING + " (0 with --mode vaegan).")
    Float modeSeeking;

    @Option(names = "--g-moments", paramLabel = "WEIGHT", defaultValue = "" + TrainOptions.DEFAULT_G_MOMENTS,
            description = "Weight of low-resolution moment matching in G's loss: the 4x4 thumbnails of G's batch against a running mean and covariance of the real faces' (decay 0.99), ||mu_f - mu_r||^2 / tr(Sigma_r) + ||Sigma_f - Sigma_r||_F^2 / ||Sigma_r||_F^2, each estimated without bias from two halves of the batch; D judges one face at a time, this makes G draw the batch's spread of light and colour; 0 = off. Default: ${DEFAULT-VALUE}.")
    float gMoments;

    @Option(names = "--balance", paramLabel = "none|margin[:M]|l2", defaultValue = TrainOptions.DEFAULT_BALANCE,
            description = "Keep the D/G game open (as in the blog post \"Generating Faces with Torch\"): margin skips D's update while its loss on real or fake faces is below M (default 0.3) and G's while one is above 1-M, never both; l2 raises D's L2 penalty while G's loss is above 1.2 and lowers it below 0.9. Default: ${DEFAULT-VALUE}.")
    String balance;

    @Option(names = "--label-smoothing", paramLabel = "TARGET", defaultValue = "" + TrainOptions.DEFAULT_LABEL_SMOOTHING,
            description = "D's target for real faces (one-sided label smoothing, e.g. 0.9); 1 = off. Default: ${DEFAULT-VALUE}.")
    float labelSmoothing;

    @Option(names = "--g-average", paramLabel = "DECAY", defaultValue = "" + TrainOptions.DEFAULT_GENERATOR_AVERAGE,
            description = "Decay of an exponential moving average of G's weights; the averaged G draws the samples and is evaluated and exported (D and E play against the trained G); 0 = off. Default: ${DEFAULT-VALUE}.")
    float generatorAverage;

    @Mixin
    PrecisionOption precisionOption;

    @Mixin
    ConvOption convOption;

    @Option(names = "--reuse-fakes",
            description = "G's update judges the D update's fake batch (same z and y, as PyTorch's DCGAN example does) instead of fresh draws: G runs forward once a step and the three updates share one session run (the default run: about 6%% faster, same quality). GAN mode, --balance none, not fp16.")
    boolean reuseFakes;

    @Option(names = "--mode", paramLabel = "gan|vaegan", defaultValue = TrainOptions.GAN,
            description = "gan, or vaegan: E becomes a VAE's encoder (mean and log-variance) and G its decoder, trained on reconstruction + KL + GAN terms (Larsen et al. 2016). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--recon-weight", paramLabel = "W", defaultValue = "" + VaeGan.DEFAULT_RECON,
            description = "vaegan: weight of the pixel reconstruction error (E and G). Default: ${DEFAULT-VALUE}.")
    float reconWeight;

    @Option(names = "--kl-weight", paramLabel = "W", defaultValue = "" + VaeGan.DEFAULT_KL,
            description = "vaegan: weight of E's KL divergence to N(0, I), per pixel. Default: ${DEFAULT-VALUE}.")
    float klWeight;

    @Option(names = "--gan-weight", paramLabel = "W", defaultValue = "" + VaeGan.DEFAULT_GAN,
            description = "vaegan: weight of G's GAN loss on reconstructions and prior samples; 0 = a plain VAE. Default: ${DEFAULT-VALUE}.")
    float ganWeight;

    @Option(names = "--seed", defaultValue = "" + TrainOptions.DEFAULT_SEED,
            description = "Root seed (weights, data order, z and y). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--sample-every", paramLabel = "N", defaultValue = "" + TrainOptions.DEFAULT_SAMPLE_EVERY,
            description = "Steps between sample grids. Default: ${DEFAULT-VALUE}.")
    long sampleEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "" + TrainOptions.DEFAULT_CHECKPOINT_EVERY,
            description = "Steps between checkpoints. Default: ${DEFAULT-VALUE}.")
    long checkpointEvery;

    @Option(names = "--keep-checkpoints", paramLabel = "N", defaultValue = "" + TrainOptions.DEFAULT_KEEP_CHECKPOINTS,
            description = "Latest checkpoints to keep. Default: ${DEFAULT-VALUE}.")
    int keepCheckpoints;

    @Mixin
    ThreadsOption threadsOption;

    @Option(names = "--on-divergence", paramLabel = "stop|rollback", defaultValue = "stop",
            description = "When a loss turns NaN/Inf or training collapses: stop (keeping the last good checkpoint as the latest) or roll back to that checkpoint and go on with the learning rate halved. Default: ${DEFAULT-VALUE}.")
    DivergencePolicy.Action onDivergence;

    @Option(names = "--collapse-patience", paramLabel = "ROWS", defaultValue = "" + DivergencePolicy.DEFAULT_COLLAPSE_PATIENCE,
            description = "Metrics rows (10 steps each) in a row with D(real) >= 0.98 and D(fake) <= 0.02 that count as a collapse, as does a sample grid of identical faces; 0 = no collapse checks. Default: ${DEFAULT-VALUE}.")
    int collapsePatience;

    @Option(names = "--max-rollbacks", paramLabel = "N", defaultValue = "" + DivergencePolicy.DEFAULT_MAX_ROLLBACKS,
            description = "With --on-divergence rollback: give up after this many rollbacks. Default: ${DEFAULT-VALUE}.")
    int maxRollbacks;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "0",
            description = "Every N steps (a multiple of 10), measure mean conditional accuracy and Fréchet distance on 500 faces (see `facegan eval`), log them to metrics.csv and TensorBoard, and keep the checkpoint with the lowest distance as checkpoints/best; 0 = off. The first use trains the run's attribute classifier. Default: ${DEFAULT-VALUE}.")
    long evalEvery;

    @Option(names = "--best-by", paramLabel = "METRIC", defaultValue = PeriodicEval.FRECHET_CLASSIFIER,
            description = "With --eval-every: the distance whose lowest value picks checkpoints/best: frechet_classifier, kid_classifier, frechet_nuisance, kid_nuisance or swd_patches. Default: ${DEFAULT-VALUE}.")
    String bestBy;

    @Option(names = "--device", paramLabel = "cpu|gpu[:N]",
            description = "Where the networks run; a GPU needs the GPU build (mvn -Pgpu package) and is checked before training. Default: TensorFlow's choice (the first GPU when one is visible, else the CPU).")
    String device;

    @Mixin
    DevicesOption devicesOption;

    @Mixin
    ClusterOption clusterOption;

    @Option(names = "--export", paramLabel = "DIR|none",
            description = "Where to export the trained model (a new version under DIR), or none. Default: export/<run name>.")
    String export;

    @Option(names = "--dry-run", description = "Print the resolved options and the run directory, then exit.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        DataSpec spec = DataSpec.parse(data).with(split == null ? null : DataSpec.parseSplit(split), crop, attributes);
        spec.checkAttributes();
        ModelConfig config = architecture(ModelConfig.load(model), upsample, dNorm, dMinibatchStddev, dThumbnail, gSkip, gTop);
        TrainOptions options = TrainOptions.builder().data(spec.toString()).model(config).steps(steps).batch(batch)
                .learningRate(learningRate).dLearningRate(dLearningRate).lrDecay(lrDecay).beta1(beta1)
                .mismatch(mismatch).auxiliary(auxiliary).ySampler(ySampler).encoderRecon(encoderRecon)
                .balance(balance).labelSmoothing(labelSmoothing).generatorAverage(generatorAverage)
                .precision(precisionOption.precision).conv(convOption.conv).reuseFakes(reuseFakes).mode(mode).reconWeight(reconWeight)
                .klWeight(klWeight).ganWeight(ganWeight).seed(seed).sampleEvery(sampleEvery)
                .checkpointEvery(checkpointEvery).keepCheckpoints(keepCheckpoints).threads(threadsOption.threads)
                .loss(loss).r1(r1).latentRecon(latentRecon).modeSeeking(modeSeeking).gMoments(gMoments).build();
        DivergencePolicy divergence = new DivergencePolicy(onDivergence, collapsePatience, maxRollbacks,
                DivergencePolicy.DEFAULT_LEARNING_RATE_FACTOR);
        if (device != null && devicesOption.devices != null) throw new IllegalArgumentException("give --device or --devices, not both");
        ClusterRun cluster = clusterOption.parse(device, devicesOption.devices); // null: one machine
        Devices placement = cluster != null ? cluster.devices() : device != null ? Devices.of(Device.parse(device)) : devicesOption.parse();
        if (placement != null) placement.checkSplits(batch);
        new Trainer.Runtime(divergence, null, null, 0); // validates
        TrainingEval.checkBestBy(bestBy);
        if (evalEvery < 0 || evalEvery % Trainer.LOG_EVERY != 0) {
            throw new IllegalArgumentException("--eval-every must be 0 (off) or a multiple of " + Trainer.LOG_EVERY
                    + ", found " + evalEvery);
        }
        Path runDir = run != null ? run : Path.of("runs", RunNames.of(options, spec));
        RunDirectory runDirectory = new RunDirectory(runDir);
        Path exportBase = export == null ? Path.of("export", runDir.getFileName().toString())
                : export.equals("none") ? null : Path.of(export);
        if (dryRun) {
            System.out.println("run directory: " + runDir);
            System.out.println("export: " + (exportBase == null ? "none" : exportBase + "/<next version>"));
            System.out.println(RunDirectory.JSON.writeValueAsString(options));
            return ExitCodes.OK;
        }
        if (cluster != null) placement = cluster.start(options.threads()); // the chief's server, the workers checked
        if (placement != null) placement.requireAvailable();
        runDirectory.checkWritable();
        runDirectory.checkCompatible(options);
        if (exportBase != null) checkWritable("--export", exportBase); // hours of training with nowhere to export
        if (FinishedRun.finish(runDirectory, options, exportBase)) return ExitCodes.OK; // nothing left to train

        FaceDataset dataset;
        try (var bar = Progress.bar("faces", spec.describe(), spec.expectedImages(), 0)) {
            dataset = spec.open(config.imageSize(), bar::stepTo);
        }
        Checkpoints.Checkpoint last;
        try (TrainingEval eval = evalEvery == 0 ? null : trainingEval(dataset, runDir);
             TrainProgress progress = new TrainProgress()) {
            var runtime = new Trainer.Runtime(divergence, placement, eval, evalEvery);
            Trainer trainer = new Trainer(options, dataset, runDirectory, new SamplePng(), runtime);
            last = cluster == null ? trainer.train(progress)
                    : cluster.guard(() -> trainer.train(progress), runDirectory.checkpoints(options.keepCheckpoints()));
        }
        System.out.println("run: " + runDir + " (step " + last.step() + ", checkpoint " + last.dir() + ")");
        if (exportBase != null) {
            Path exported = RunExporter.export(runDirectory, last, exportBase, SavedModelExport.nextVersion(exportBase));
            System.out.println("exported: " + exported);
        }
        return ExitCodes.OK;
    }

    /**
     * The preset with {@code --upsample}, {@code --d-norm}, {@code --d-mbstd}, {@code --d-thumbnail},
     * {@code --g-skip} and {@code --g-top} applied (null: the preset's own).
     */
    static ModelConfig architecture(ModelConfig preset, String upsample, String dNorm, String minibatchStddev,
                                    String thumbnail, String gSkip, Integer gTop) {
        ModelConfig config = preset;
        if (upsample != null) {
            try {
                config = config.withUpsample(upsample);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + e.getMessage(), e);
            }
        }
        if (dNorm != null) {
            try {
                config = config.withDNorm(DiscriminatorNorm.parse(dNorm));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + e.getMessage(), e);
            }
        }
        if (minibatchStddev != null) config = config.withMinibatchStddev(onOff("--d-mbstd", minibatchStddev));
        if (thumbnail != null) config = config.withThumbnail(onOff("--d-thumbnail", thumbnail));
        if (gSkip != null) config = config.withGeneratorSkip(onOff("--g-skip", gSkip));
        if (gTop != null) {
            try {
                config = config.withGeneratorTop(gTop);
            } catch (IllegalArgumentException e) { // ModelConfig's range, named by the option
                throw new IllegalArgumentException(e.getMessage().replace("gTopChannels", "--g-top"), e);
            }
        }
        return config;
    }

    private static boolean onOff(String option, String value) {
        if (!value.equals("on") && !value.equals("off")) {
            throw new IllegalArgumentException(option + " must be on or off, found " + value);
        }
        return value.equals("on");
    }

    private TrainingEval trainingEval(FaceDataset dataset, Path runDir) {
        AttributeClassifier classifier = EvalCommand.classifier(dataset, runDir.resolve(EvalCommand.CLASSIFIER_DIR),
                AttributeClassifier.DEFAULT_STEPS, 1);
        try {
            return new TrainingEval(dataset, classifier, new EvalSpaces(dataset, classifier, runDir, NuisanceRegressor.DEFAULT_STEPS, 1), bestBy);
        } catch (RuntimeException e) {
            classifier.close();
            throw e;
        }
    }

    /** @throws IllegalArgumentException naming the option and directory when a file cannot be created there */
    static void checkWritable(String option, Path dir) {
        try {
            AtomicFiles.checkWritable(dir);
        } catch (java.io.IOException | SecurityException e) {
            throw new IllegalArgumentException(option + " " + dir + ": not writable (" + e.getMessage() + ")", e);
        }
    }
}
