package org.facegan.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.facegan.data.FaceDataset;
import org.facegan.io.AtomicFiles;
import org.facegan.model.Classifier;
import org.facegan.model.BatchStatistics;
import org.facegan.model.Mode;
import org.facegan.model.Params;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.train.GanLoss;
import org.facegan.train.AdamStep;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The evaluation's judge: a {@link Classifier} trained with TensorFlow on a run's real faces to tell which
 * attributes a face has (an attribute is present when its y is at least 0.5). Its per-attribute logits score
 * conditional generation; its penultimate features are the space of the Fréchet distance. Saved in
 * {@code RUN/eval/classifier/} so that it is trained once per run.
 */
public final class AttributeClassifier implements AutoCloseable {
    public static final int DEFAULT_STEPS = 1500;
    public static final int BATCH = 64;
    public static final float LEARNING_RATE = 1e-3f;
    private static final String PREFIX = SavedNetwork.PREFIX, INFO = "classifier.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@code classifier.json} records beside the weights. */
    public record Info(int imageSize, List<String> attributes, int steps, double[] heldOutAccuracy) {}

    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> images, labels;
    private final Op trainStep;
    private final Operand<TFloat32> features, logits;
    private final int imageSize, attributes;
    private Info info;

    /** Builds into {@code graph}, which it owns from then on: closed by {@link #close}, or at once if building fails. */
    private AttributeClassifier(Graph graph, int imageSize, List<String> names, long seed) {
        this.graph = graph;
        this.imageSize = imageSize;
        this.attributes = names.size();
        try {
            Ops tf = Ops.create(graph);
            Classifier net = new Classifier(new Params(tf, "C", seed), imageSize, attributes);
            images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, imageSize, imageSize, 3)));
            labels = tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, attributes)));
            Ops train = tf.withSubScope("train");
            BatchStatistics batch = new BatchStatistics();
            Operand<TFloat32> loss = GanLoss.meanCrossEntropy(train,
                    net.apply(train, images, Mode.recording(batch)).logits(), labels);
            trainStep = AdamStep.build(tf, graph, "c_adam", LEARNING_RATE, 0.9f, 0.999f, loss, net, batch.updates(train));
            Classifier.Output inference = net.apply(tf.withSubScope("infer"), images, Mode.INFERENCE);
            features = inference.features();
            logits = inference.logits();
            session = Sessions.open(graph, 0);
        } catch (RuntimeException e) {
            graph.close();
            throw new IllegalArgumentException("cannot build a classifier of " + imageSize + " px faces with "
                    + attributes + " attributes: " + SavedNetwork.firstLine(e), e);
        }
        info = new Info(imageSize, names, 0, new double[attributes]);
    }

    /**
     * Trains a classifier on the images {@code train} of {@code data} and measures it on {@code heldOut}.
     *
     * @param progress told the steps done
     */
    public static AttributeClassifier train(FaceDataset data, int[] train, int[] heldOut, int steps, long seed,
                                            IntConsumer progress) {
        return train(data, train, heldOut, steps, seed, progress, Graph::new);
    }

    private static AttributeClassifier train(FaceDataset data, int[] train, int[] heldOut, int steps, long seed,
                                             IntConsumer progress, Supplier<Graph> graphs) {
        AttributeClassifier c = new AttributeClassifier(graphs.get(), data.imageSize(), data.attributeNames(), seed);
        try {
            int pixels = data.imageSize() * data.imageSize() * 3, a = c.attributes;
            float[] x = new float[BATCH * pixels], y = new float[BATCH * a];
            SplittableRandom random = new SplittableRandom(seed);
            for (int step = 0; step < steps; step++) {
                for (int b = 0; b < BATCH; b++) {
                    int i = train[random.nextInt(train.length)];
                    data.image(i, x, b * pixels);
                    float[] attrs = data.attributes(i);
                    for (int k = 0; k < a; k++) y[b * a + k] = present(attrs[k]) ? 1f : 0f;
                }
                try (TFloat32 xt = Tensors.of(Shape.of(BATCH, c.imageSize, c.imageSize, 3), x);
                     TFloat32 yt = Tensors.matrix(BATCH, a, y)) {
                    c.session.runner().feed(c.images, xt).feed(c.labels, yt).addTarget(c.trainStep).run().close();
                }
                progress.accept(step + 1);
            }
            c.info = new Info(c.imageSize, data.attributeNames(), steps, c.accuracy(data, heldOut));
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * The classifier saved in {@code dir} when it was made for these faces (same size and attributes); else a new one
     * trained on the eval split's training part, saved to {@code dir} unless it is null.
     */
    public static AttributeClassifier forFaces(FaceDataset faces, Path dir, int steps, long seed, IntConsumer progress) {
        return forFaces(faces, dir, steps, seed, progress, Graph::new);
    }

    /** The same, each classifier built into a graph from {@code graphs} (a test's hook, to see what a failure closes). */
    static AttributeClassifier forFaces(FaceDataset faces, Path dir, int steps, long seed, IntConsumer progress,
                                        Supplier<Graph> graphs) {
        if (dir != null && exists(dir)) {
            AttributeClassifier saved = load(dir, graphs);
            if (saved.info().attributes().equals(faces.attributeNames()) && saved.info().imageSize() == faces.imageSize()) {
                return saved;
            }
            saved.close();
        }
        EvalSplit split = EvalSplit.of(faces.size());
        AttributeClassifier trained = train(faces, split.train(), split.heldOut(), steps, seed, progress, graphs);
        return SavedNetwork.kept(trained, dir, trained::save);
    }

    /** Whether an attribute value counts as present. */
    public static boolean present(float y) {
        return y >= 0.5f;
    }

    /** Reads a classifier saved by {@link #save}. */
    public static AttributeClassifier load(Path dir) {
        return load(dir, Graph::new);
    }

    private static AttributeClassifier load(Path dir, Supplier<Graph> graphs) {
        Info info;
        try {
            info = JSON.readValue(dir.resolve(INFO).toFile(), Info.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(INFO) + ": " + e.getMessage(), e);
        }
        AttributeClassifier c = new AttributeClassifier(graphs.get(), info.imageSize(), info.attributes(), 0);
        try {
            c.session.restore(dir.resolve(PREFIX).toString());
        } catch (RuntimeException e) {
            c.close();
            throw new IllegalArgumentException("cannot restore the classifier in " + dir + " (" + info.imageSize()
                    + " px, " + info.attributes().size() + " attributes, as " + INFO + " says; delete the directory to"
                    + " train a new one): " + SavedNetwork.firstLine(e), e);
        }
        c.info = info;
        return c;
    }


    /** Whether {@code dir} holds a saved classifier. */
    public static boolean exists(Path dir) {
        return SavedNetwork.exists(dir, INFO);
    }

    /** Writes the weights and {@code classifier.json} under a temporary name, then renames the directory into place. */
    public void save(Path dir) {
        SavedNetwork.save(session, dir, INFO, info, "the classifier");
    }

    public Info info() {
        return info;
    }

    /** Per-attribute logits, [n, A]. */
    public float[] logits(float[] x, int n) {
        return run(logits, x, n, attributes);
    }

    /** Penultimate features, [n, 128]. */
    public float[] features(float[] x, int n) {
        return run(features, x, n, Classifier.FEATURES);
    }

    private float[] run(Operand<TFloat32> output, float[] x, int n, int width) {
        return SavedNetwork.inBatches(session, images, output, x, n, imageSize, width);
    }

    /** Share of {@code indices} whose attribute k the classifier gets right, per attribute. */
    public double[] accuracy(FaceDataset data, int[] indices) {
        int pixels = imageSize * imageSize * 3;
        float[] x = new float[indices.length * pixels];
        for (int j = 0; j < indices.length; j++) data.image(indices[j], x, j * pixels);
        float[] l = logits(x, indices.length);
        double[] right = new double[attributes];
        for (int j = 0; j < indices.length; j++) {
            float[] y = data.attributes(indices[j]);
            for (int k = 0; k < attributes; k++) if ((l[j * attributes + k] > 0) == present(y[k])) right[k]++;
        }
        for (int k = 0; k < attributes; k++) right[k] /= indices.length;
        return right;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
