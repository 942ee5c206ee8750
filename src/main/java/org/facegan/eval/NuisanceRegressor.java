package org.facegan.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.facegan.data.FaceDataset;
import org.facegan.data.NuisanceFactors;
import org.facegan.io.AtomicFiles;
import org.facegan.model.Autoencoder;
import org.facegan.model.BatchStatistics;
import org.facegan.model.Mode;
import org.facegan.model.Network;
import org.facegan.model.NuisanceNet;
import org.facegan.model.Params;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.train.AdamStep;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The evaluation's second judge, a network trained for something other than attributes: on a dataset that knows
 * its faces' {@link NuisanceFactors} (the built-in faces), a {@link NuisanceNet} regressing them (pose, lighting,
 * colours, shape: what the {@link AttributeClassifier} learns to ignore); on any other dataset (CelebA, LFW,
 * folders), an {@link Autoencoder} regressing the face itself. Either way a mean squared error, and
 * {@link #features} (128 values a face: the regressor's penultimate layer, or the autoencoder's bottleneck) is a
 * space for the Fréchet distance or KID that sees how generated faces are posed, lit and coloured. Saved in a
 * directory with {@code nuisance.json} so that a run trains it once.
 *
 * <p>Trained on the {@link EvalSplit}'s training part; {@link Info#heldOutR2} is the coefficient of determination on
 * its held-out part, per factor (over the faces that show it) or, for the autoencoder, of the pixels against the mean
 * held-out face.
 */
public final class NuisanceRegressor implements AutoCloseable {
    /**
     * Default training steps (batch 64). On the 20000 default built-in faces at 32 px: held-out mean R² 0.866–0.869
     * over seeds 1, 2, 3, in 49–57 s on two cores of an AMD EPYC shared with other builds (500 steps: 0.77 in 20 s).
     * The autoencoder's steps cost about twice as much: held-out pixel R² 0.938 in 97 s (500 steps: 0.908 in 48 s).
     */
    public static final int DEFAULT_STEPS = 1500;
    public static final int BATCH = 64;
    public static final float LEARNING_RATE = 1e-3f;
    private static final String PREFIX = SavedNetwork.PREFIX, INFO = "nuisance.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the network regresses. */
    public enum Target {
        /** The dataset's nuisance factors ({@link NuisanceNet}). */
        FACTORS,
        /** The face itself ({@link Autoencoder}), for datasets without nuisance factors. */
        PIXELS
    }

    /**
     * What {@code nuisance.json} records beside the weights.
     *
     * @param outputs the factors' names, or {@code ["pixels"]}
     * @param heldOutR2 held-out R² per output (1: perfect, 0: no better than the held-out mean)
     */
    public record Info(int imageSize, Target target, List<String> outputs, int steps, double[] heldOutR2) {
        /** The mean of {@link #heldOutR2} over the outputs. */
        public double meanR2() {
            double sum = 0;
            for (double r : heldOutR2) sum += r;
            return sum / heldOutR2.length;
        }
    }

    private final Graph graph;
    private final Session session;
    private final Target target;
    private final Placeholder<TFloat32> images, factors, shown;
    private final Op trainStep;
    private final Operand<TFloat32> features, predictions;
    private final int imageSize, outputs;
    private Info info;

    /** Builds into {@code graph}, which it owns from then on: closed by {@link #close}, or at once if building fails. */
    private NuisanceRegressor(Graph graph, int imageSize, Target target, List<String> names, long seed) {
        this.graph = graph;
        this.imageSize = imageSize;
        this.target = target;
        this.outputs = names.size();
        try {
            Ops tf = Ops.create(graph);
            images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, imageSize, imageSize, 3)));
            Ops train = tf.withSubScope("train");
            Ops infer = tf.withSubScope("infer");
            BatchStatistics batch = new BatchStatistics();
            Network net;
            Operand<TFloat32> loss;
            if (target == Target.FACTORS) {
                NuisanceNet regressor = new NuisanceNet(new Params(tf, "N", seed), imageSize, outputs);
                factors = tf.withName("factors").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, outputs)));
                shown = tf.withName("shown").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, outputs)));
                loss = maskedSquaredError(train, regressor.apply(train, images, Mode.recording(batch)).factors(),
                        factors, shown);
                NuisanceNet.Output inference = regressor.apply(infer, images, Mode.INFERENCE);
                features = inference.features();
                predictions = inference.factors();
                net = regressor;
            } else {
                Autoencoder autoencoder = new Autoencoder(new Params(tf, "A", seed), imageSize);
                factors = null;
                shown = null;
                Operand<TFloat32> redrawn = autoencoder.apply(train, images, Mode.recording(batch)).reconstruction();
                loss = train.math.mean(train.math.squaredDifference(redrawn, images), train.constant(new int[] {0, 1, 2, 3}));
                Autoencoder.Output inference = autoencoder.apply(infer, images, Mode.INFERENCE);
                features = inference.code();
                predictions = inference.reconstruction();
                net = autoencoder;
            }
            trainStep = AdamStep.build(tf, graph, "n_adam", LEARNING_RATE, 0.9f, 0.999f, loss, net, batch.updates(train));
            session = Sessions.open(graph, 0);
        } catch (RuntimeException e) {
            graph.close();
            throw new IllegalArgumentException("cannot build a " + target.name().toLowerCase(Locale.ROOT) + " regressor of "
                    + imageSize + " px faces with " + outputs + " outputs: " + SavedNetwork.firstLine(e), e);
        }
        info = new Info(imageSize, target, names, 0, new double[outputs]);
    }

    /** Σ shown·(p − y)² / Σ shown: the mean squared error over the factors the faces show. */
    private static Operand<TFloat32> maskedSquaredError(Ops tf, Operand<TFloat32> predicted, Operand<TFloat32> actual,
                                                        Operand<TFloat32> shown) {
        Operand<TInt32> all = tf.constant(new int[] {0, 1});
        Operand<TFloat32> sum = tf.reduceSum(tf.math.mul(shown, tf.math.squaredDifference(predicted, actual)), all);
        return tf.math.div(sum, tf.math.maximum(tf.reduceSum(shown, all), tf.constant(1f)));
    }

    /** What a network for {@code faces} regresses: their nuisance factors where they have them, else the pixels. */
    public static Target targetFor(FaceDataset faces) {
        return NuisanceFactors.of(faces).isPresent() ? Target.FACTORS : Target.PIXELS;
    }

    private static List<String> outputsFor(FaceDataset faces) {
        Optional<NuisanceFactors> known = NuisanceFactors.of(faces);
        return known.isPresent() ? known.get().factorNames() : List.of("pixels");
    }

    /**
     * Trains a network on the images {@code train} of {@code data} (on their nuisance factors when the dataset has
     * them, else on the images themselves) and measures its R² on {@code heldOut}.
     *
     * @param progress told the steps done
     */
    public static NuisanceRegressor train(FaceDataset data, int[] train, int[] heldOut, int steps, long seed,
                                          IntConsumer progress) {
        return train(data, train, heldOut, steps, seed, progress, Graph::new);
    }

    private static NuisanceRegressor train(FaceDataset data, int[] train, int[] heldOut, int steps, long seed,
                                           IntConsumer progress, Supplier<Graph> graphs) {
        if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, found " + steps);
        NuisanceFactors known = NuisanceFactors.of(data).orElse(null);
        NuisanceRegressor r = new NuisanceRegressor(graphs.get(), data.imageSize(), targetFor(data), outputsFor(data), seed);
        try {
            int pixels = data.imageSize() * data.imageSize() * 3, f = r.outputs;
            float[] x = new float[BATCH * pixels], y = new float[BATCH * f], mask = new float[BATCH * f];
            SplittableRandom random = new SplittableRandom(seed);
            for (int step = 0; step < steps; step++) {
                for (int b = 0; b < BATCH; b++) {
                    int i = train[random.nextInt(train.length)];
                    data.image(i, x, b * pixels);
                    if (known != null) targets(known.factors(i), y, mask, b * f);
                }
                try (TFloat32 xt = Tensors.of(Shape.of(BATCH, r.imageSize, r.imageSize, 3), x)) {
                    Session.Runner run = r.session.runner().feed(r.images, xt).addTarget(r.trainStep);
                    if (known == null) {
                        run.run().close();
                    } else {
                        try (TFloat32 yt = Tensors.matrix(BATCH, f, y); TFloat32 mt = Tensors.matrix(BATCH, f, mask)) {
                            run.feed(r.factors, yt).feed(r.shown, mt).run().close();
                        }
                    }
                }
                progress.accept(step + 1);
            }
            r.info = new Info(r.imageSize, r.target, r.info.outputs(), steps, r.r2(data, heldOut));
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** Writes one face's factors into {@code y} and 1 into {@code mask} where it shows them (0 and 0 where NaN). */
    private static void targets(float[] factors, float[] y, float[] mask, int offset) {
        for (int k = 0; k < factors.length; k++) {
            boolean shown = !Float.isNaN(factors[k]);
            y[offset + k] = shown ? factors[k] : 0f;
            mask[offset + k] = shown ? 1f : 0f;
        }
    }

    /**
     * The network saved in {@code dir} when it was made for these faces (same size, target and outputs); else a new
     * one trained on the eval split's training part, saved to {@code dir} unless it is null.
     */
    public static NuisanceRegressor forFaces(FaceDataset faces, Path dir, int steps, long seed, IntConsumer progress) {
        return forFaces(faces, dir, steps, seed, progress, Graph::new);
    }

    /** The same, each network built into a graph from {@code graphs} (a test's hook, to see what a failure closes). */
    static NuisanceRegressor forFaces(FaceDataset faces, Path dir, int steps, long seed, IntConsumer progress,
                                      Supplier<Graph> graphs) {
        if (dir != null && exists(dir)) {
            NuisanceRegressor saved = load(dir, graphs);
            Info i = saved.info();
            if (i.imageSize() == faces.imageSize() && i.target() == targetFor(faces) && i.outputs().equals(outputsFor(faces))) {
                return saved;
            }
            saved.close();
        }
        EvalSplit split = EvalSplit.of(faces.size());
        NuisanceRegressor trained = train(faces, split.train(), split.heldOut(), steps, seed, progress, graphs);
        return SavedNetwork.kept(trained, dir, trained::save);
    }

    /** Reads a network saved by {@link #save}. */
    public static NuisanceRegressor load(Path dir) {
        return load(dir, Graph::new);
    }

    private static NuisanceRegressor load(Path dir, Supplier<Graph> graphs) {
        Info info;
        try {
            info = JSON.readValue(dir.resolve(INFO).toFile(), Info.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(INFO) + ": " + e.getMessage(), e);
        }
        NuisanceRegressor r = new NuisanceRegressor(graphs.get(), info.imageSize(), info.target(), info.outputs(), 0);
        try {
            r.session.restore(dir.resolve(PREFIX).toString());
        } catch (RuntimeException e) {
            r.close();
            throw new IllegalArgumentException("cannot restore the nuisance regressor in " + dir + " (" + info.imageSize()
                    + " px, " + info.target().name().toLowerCase(Locale.ROOT) + ", " + info.outputs().size() + " outputs, as "
                    + INFO + " says; delete the directory to train a new one): " + SavedNetwork.firstLine(e), e);
        }
        r.info = info;
        return r;
    }


    /** Whether {@code dir} holds a saved network. */
    public static boolean exists(Path dir) {
        return SavedNetwork.exists(dir, INFO);
    }

    /** Writes the weights and {@code nuisance.json} under a temporary name, then renames the directory into place. */
    public void save(Path dir) {
        SavedNetwork.save(session, dir, INFO, info, "the nuisance regressor");
    }

    public Info info() {
        return info;
    }

    /** Length of a face's {@link #features}: 128. */
    public int featureDim() {
        return target == Target.FACTORS ? NuisanceNet.FEATURES : Autoencoder.CODE;
    }

    /** Features of n faces (HWC RGB in [-1, 1], as {@link FaceDataset#image} writes them), [n, 128]. */
    public float[] features(float[] x, int n) {
        return run(features, x, n, featureDim());
    }

    /**
     * What the network regresses for n faces: standardised factors [n, F], or for an autoencoder the redrawn faces
     * [n, S, S, 3].
     */
    public float[] predictions(float[] x, int n) {
        return run(predictions, x, n, target == Target.FACTORS ? outputs : imageSize * imageSize * 3);
    }

    /** This network as the evaluation's reader of nuisance factors; empty for an autoencoder, which reads none. */
    public Optional<Evaluation.FactorReader> factorReader() {
        if (target != Target.FACTORS) return Optional.empty();
        return Optional.of(new Evaluation.FactorReader() {
            @Override public List<String> factors() { return info.outputs(); }
            @Override public float[] read(float[] images, int n) { return predictions(images, n); }
        });
    }

    private float[] run(Operand<TFloat32> output, float[] x, int n, int width) {
        return SavedNetwork.inBatches(session, images, output, x, n, imageSize, width);
    }

    /**
     * Held-out R² = 1 − Σ(prediction − truth)² / Σ(truth − its held-out mean)²: per factor over the faces of
     * {@code indices} that show it, or for the autoencoder over all values, against the mean face.
     */
    public double[] r2(FaceDataset data, int[] indices) {
        NuisanceFactors known = NuisanceFactors.of(data).orElse(null);
        if ((known == null) != (target == Target.PIXELS)) {
            throw new IllegalArgumentException("a " + target.name().toLowerCase(Locale.ROOT) + " regressor cannot be measured on a dataset "
                    + (known == null ? "without" : "with") + " nuisance factors");
        }
        int pixels = imageSize * imageSize * 3;
        int width = target == Target.FACTORS ? outputs : pixels;
        // per output value: count, Σ truth, Σ truth², Σ (prediction − truth)²
        double[] count = new double[width], sum = new double[width], squares = new double[width], residual = new double[width];
        for (int start = 0; start < indices.length; start += SavedNetwork.CALL_BATCH) {
            int m = Math.min(SavedNetwork.CALL_BATCH, indices.length - start);
            float[] x = new float[m * pixels];
            for (int j = 0; j < m; j++) data.image(indices[start + j], x, j * pixels);
            float[] p = predictions(x, m);
            for (int j = 0; j < m; j++) {
                float[] truth = known != null ? known.factors(indices[start + j]) : null;
                for (int k = 0; k < width; k++) {
                    double t = truth != null ? truth[k] : x[j * pixels + k];
                    if (Double.isNaN(t)) continue;
                    double d = p[j * width + k] - t;
                    count[k]++;
                    sum[k] += t;
                    squares[k] += t * t;
                    residual[k] += d * d;
                }
            }
        }
        if (target == Target.PIXELS) {
            double res = 0, total = 0;
            for (int k = 0; k < width; k++) {
                res += residual[k];
                total += squares[k] - sum[k] * sum[k] / count[k];
            }
            return new double[] {1 - res / total};
        }
        double[] r2 = new double[width];
        for (int k = 0; k < width; k++) r2[k] = 1 - residual[k] / (squares[k] - sum[k] * sum[k] / count[k]);
        return r2;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
