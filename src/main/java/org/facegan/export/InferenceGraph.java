package org.facegan.export;

import java.util.ArrayList;
import java.util.List;
import org.facegan.model.ConvPlan;
import org.facegan.model.ConvTuner;
import org.facegan.model.Discriminator;
import org.facegan.model.Encoder;
import org.facegan.model.Generator;
import org.facegan.model.Mode;
import org.facegan.model.ModelConfig;
import org.facegan.model.Params;
import org.facegan.model.Precision;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.model.VariableRestore;
import org.facegan.model.WeightCache;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * G, E and D alone, batch norm on moving statistics, restored from a training checkpoint: what sampling uses
 * and what gets exported (no optimiser state, no training ops). Each output depends only on its own input row.
 */
public final class InferenceGraph implements AutoCloseable {
    public final ModelConfig model;
    public final int yDim;
    public final Graph graph;
    public final Session session;

    public final Placeholder<TFloat32> z;            // [N, Z]
    public final Placeholder<TFloat32> y;            // [N, A]
    public final Operand<TFloat32> images;           // G(z, y): [N, S, S, 3] in [-1, 1]
    public final Operand<TString> imagePngs;         // G(z, y) as one PNG per row: [N] strings
    public final Placeholder<TFloat32> inputImages;  // [N, S, S, 3]
    public final Operand<TFloat32> encoded;          // E(x): [N, Z]
    public final Placeholder<TFloat32> judgedY;      // [N, A]
    public final Operand<TFloat32> logits;           // D(x, y): [N, 1]
    public final Operand<TFloat32> attributeLogits;  // D's attribute head on x alone: [N, A]
    private final List<Variable<TFloat32>> modelVariables; // G's, D's and E's, as a training checkpoint holds them
    private final Op refreshCachedWeights;           // the layers' derived weights, from the model's variables

    /** Builds into {@code graph}, which it owns from then on: closed by {@link #close}, or at once if building fails. */
    private InferenceGraph(Graph graph, ModelConfig model, int yDim, boolean averagedGenerator, int threads,
                           ConvPlan convPlan) {
        this.model = model;
        this.yDim = yDim;
        this.graph = graph;
        try {
            Ops tf = Ops.create(graph);
            WeightCache cache = new WeightCache(tf);
            // Same networks, in the same order, as TrainingGraph: the variable names must match the checkpoint's.
            // The averaged G (train --g-average) is restored in place of the trained one when the run has it.
            // Row-stable dense layers: a row's outputs are the same bits alone or in any batch (see Dense), which a
            // server that merges requests (facegan serve, TF Serving with --enable_batching) relies on.
            Params gParams = new Params(tf, averagedGenerator ? Generator.AVERAGE_PREFIX : Generator.PREFIX, 0,
                    Precision.FP32, convPlan, true, cache);
            Params dParams = new Params(tf, "D", 0, Precision.FP32, convPlan, true, cache);
            Params eParams = new Params(tf, "E", 0, Precision.FP32, convPlan, true, cache);
            Generator g = new Generator(gParams, model, yDim);
            Discriminator d = new Discriminator(dParams, model, yDim);
            Encoder e = new Encoder(eParams, model);
            int s = model.imageSize();
            z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, model.zDim())));
            y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, yDim)));
            images = tf.withName("images").identity(g.apply(tf, z, y, Mode.INFERENCE));
            imagePngs = tf.withName("image_bytes").identity(PngRows.encode(tf, images));
            inputImages = tf.withName("input_images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
            encoded = tf.withName("encoded_z").identity(e.apply(tf, inputImages, Mode.INFERENCE));
            judgedY = tf.withName("judged_y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, yDim)));
            Discriminator.Judgement judgement = d.apply(tf, inputImages, judgedY, Mode.INFERENCE);
            logits = tf.withName("logits").identity(judgement.logits());
            attributeLogits = tf.withName("attribute_logits").identity(judgement.attributeLogits());
            modelVariables = new ArrayList<>();
            for (Params p : List.of(gParams, dParams, eParams)) {
                modelVariables.addAll(p.trainable());
                modelVariables.addAll(p.statistics());
            }
            refreshCachedWeights = cache.refresh(tf);
            this.session = Sessions.open(graph, threads);
        } catch (RuntimeException failure) {
            graph.close();
            throw new IllegalArgumentException("cannot build the inference graph of model " + model.name() + " with "
                    + yDim + " attributes: " + firstLine(failure), failure);
        }
    }

    /**
     * Builds the inference graph and restores its variables from a training checkpoint prefix.
     *
     * @param averagedGenerator whether G is the checkpoint's averaged G ({@code TrainOptions#averagesGenerator})
     */
    public static InferenceGraph restore(ModelConfig model, int yDim, boolean averagedGenerator, String checkpointPrefix,
                                         int threads) {
        return restore(model, yDim, averagedGenerator, checkpointPrefix, threads, defaultPlan());
    }

    /** The same with each stride-2 layer built in the form {@code convPlan} picks ({@code --conv}). */
    public static InferenceGraph restore(ModelConfig model, int yDim, boolean averagedGenerator, String checkpointPrefix,
                                         int threads, ConvPlan convPlan) {
        return restore(new Graph(), model, yDim, averagedGenerator, checkpointPrefix, threads, convPlan);
    }

    /**
     * {@code --conv auto} tuned for the forward pass at {@value #TUNING_BATCH} images. The forms are the same function
     * on any host, so a bundle exported here is correct wherever it is served, and fastest where it was tuned.
     */
    public static ConvPlan defaultPlan() {
        return ConvTuner.plan("auto", TUNING_BATCH, System.err::println);
    }

    /** The batch inference graphs are tuned for: a sample grid's, and the reference network's. */
    public static final int TUNING_BATCH = 64;

    /** The same, built into {@code graph}, which it owns from then on (a test's hook, to see what a failure closes). */
    static InferenceGraph restore(Graph graph, ModelConfig model, int yDim, boolean averagedGenerator,
                                  String checkpointPrefix, int threads) {
        return restore(graph, model, yDim, averagedGenerator, checkpointPrefix, threads, ConvPlan.DIRECT);
    }

    private static InferenceGraph restore(Graph graph, ModelConfig model, int yDim, boolean averagedGenerator,
                                          String checkpointPrefix, int threads, ConvPlan convPlan) {
        InferenceGraph inference = new InferenceGraph(graph, model, yDim, averagedGenerator, threads, convPlan);
        try {
            // Session.restore would look for every variable, the weight cache's too, which no checkpoint holds
            VariableRestore.restore(inference.graph, inference.session, checkpointPrefix, inference.modelVariables);
            inference.session.runner().addTarget(inference.refreshCachedWeights).run();
        } catch (RuntimeException e) {
            inference.close();
            throw new IllegalArgumentException("checkpoint " + checkpointPrefix + " does not fit model "
                    + model.name() + " with " + yDim + " attributes: " + firstLine(e), e);
        }
        return inference;
    }

    /** TensorFlow's messages go on with the whole op or graph; their first line says what went wrong. */
    private static String firstLine(RuntimeException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    /** G(z, y) for n rows: [n, S, S, 3] in [-1, 1]. */
    public float[] generate(float[] zValues, float[] yValues, int n) {
        try (TFloat32 zt = Tensors.matrix(n, model.zDim(), zValues);
             TFloat32 yt = Tensors.matrix(n, yDim, yValues);
             Result r = session.runner().feed(z, zt).feed(y, yt).fetch(images).run()) {
            return Tensors.read((TFloat32) r.get(0));
        }
    }

    /** G(z, y) for n rows as PNG files, one per row. */
    public byte[][] generatePng(float[] zValues, float[] yValues, int n) {
        try (TFloat32 zt = Tensors.matrix(n, model.zDim(), zValues);
             TFloat32 yt = Tensors.matrix(n, yDim, yValues);
             Result r = session.runner().feed(z, zt).feed(y, yt).fetch(imagePngs).run()) {
            TString pngs = (TString) r.get(0);
            byte[][] out = new byte[(int) pngs.shape().size(0)][];
            for (int i = 0; i < out.length; i++) out[i] = pngs.asBytes().getObject(i);
            return out;
        }
    }

    /** E(x) for n images: [n, Z]. */
    public float[] encode(float[] imageValues, int n) {
        int s = model.imageSize();
        try (TFloat32 xt = Tensors.of(Shape.of(n, s, s, 3), imageValues);
             Result r = session.runner().feed(inputImages, xt).fetch(encoded).run()) {
            return Tensors.read((TFloat32) r.get(0));
        }
    }

    /** D(x, y) logits for n images: [n]. */
    public float[] discriminate(float[] imageValues, float[] yValues, int n) {
        int s = model.imageSize();
        try (TFloat32 xt = Tensors.of(Shape.of(n, s, s, 3), imageValues);
             TFloat32 yt = Tensors.matrix(n, yDim, yValues);
             Result r = session.runner().feed(inputImages, xt).feed(judgedY, yt).fetch(logits).run()) {
            return Tensors.read((TFloat32) r.get(0));
        }
    }

    /**
     * D's attribute head for n images: [n, A] logits, one per attribute of y (sigmoid gives the probability that
     * the image shows it). The head reads the image alone, so no y is fed.
     */
    public float[] attributeLogits(float[] imageValues, int n) {
        int s = model.imageSize();
        try (TFloat32 xt = Tensors.of(Shape.of(n, s, s, 3), imageValues);
             Result r = session.runner().feed(inputImages, xt).fetch(attributeLogits).run()) {
            return Tensors.read((TFloat32) r.get(0));
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
