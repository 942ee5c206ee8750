package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Every layer and network produces the shapes the architecture table promises, for each preset. */
class NetworkShapesTest {
    static final int Y = 10, N = 3;

    @ParameterizedTest
    @CsvSource({"faces32, 0", "faces64, 0", "dcgan64, 0", "faces32, 16"}) // G's hidden channels at full resolution
    void networksProduceDocumentedShapes(String preset, int gTop) {
        ModelConfig c = ModelConfig.load(preset).withGeneratorTop(gTop);
        int s = c.imageSize();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Generator gen = new Generator(new Params(tf, "G", 1), c, Y);
            Discriminator dis = new Discriminator(new Params(tf, "D", 2), c, Y);
            Encoder enc = new Encoder(new Params(tf, "E", 3), c);
            var z = tf.constant(new float[N][c.zDim()]);
            var y = tf.constant(new float[N][Y]);
            Operand<TFloat32> images = gen.apply(tf, z, y, Mode.INFERENCE);
            Discriminator.Judgement judgement = dis.apply(tf, images, y, Mode.INFERENCE);
            Operand<TFloat32> logits = judgement.logits();
            Operand<TFloat32> zHat = enc.apply(tf, images, Mode.TRAIN);
            assertThat(images.shape()).isEqualTo(Shape.of(N, s, s, 3)); // static shapes are known ahead of running
            assertThat(gen.params().parameterCount()).as("G").isEqualTo(generatorParameters(c));
            assertThat(dis.params().parameterCount()).as("D").isEqualTo(discriminatorParameters(c));
            assertThat(enc.params().parameterCount()).as("E").isEqualTo(encoderParameters(c));
            try (Session session = Sessions.open(g, 1);
                 var r = session.runner().fetch(images).fetch(logits).fetch(zHat).fetch(judgement.attributeLogits()).run()) {
                assertThat(r.get(0).shape()).isEqualTo(Shape.of(N, s, s, 3));
                assertThat(r.get(1).shape()).isEqualTo(Shape.of(N, 1));
                assertThat(r.get(2).shape()).isEqualTo(Shape.of(N, c.zDim()));
                assertThat(r.get(3).shape()).isEqualTo(Shape.of(N, Y));
                float[] pixels = Tensors.read((TFloat32) r.get(0));
                for (float p : pixels) assertThat(p).isBetween(-1f, 1f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 64})
    void layersHaveDocumentedShapes(int s) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Params p = new Params(tf, "T", 1);
            var x = tf.constant(new float[N][s][s][3]);
            Operand<TFloat32> conv = new Conv2D(p, "conv", 4, 3, 8, true).apply(tf, x);
            Operand<TFloat32> up = new ConvTranspose2D(p, "up", 5, 8, 6, false).apply(tf, conv, s);
            Operand<TFloat32> bn = new BatchNorm(p, "bn", 6).apply(tf, up, Mode.TRAIN);
            Operand<TFloat32> dense = new Dense(p, "fc", s * s * 6, 7, true)
                    .apply(tf, tf.reshape(bn, tf.constant(new long[] {-1, s * s * 6})));
            try (Session session = Sessions.open(g, 1);
                 var r = session.runner().fetch(conv).fetch(up).fetch(bn).fetch(dense).run()) {
                assertThat(r.get(0).shape()).isEqualTo(Shape.of(N, s / 2, s / 2, 8));
                assertThat(r.get(1).shape()).isEqualTo(Shape.of(N, s, s, 6));
                assertThat(r.get(2).shape()).isEqualTo(Shape.of(N, s, s, 6));
                assertThat(r.get(3).shape()).isEqualTo(Shape.of(N, 7));
            }
            assertThat(p.trainable()).extracting(v -> v.op().name())
                    .containsExactly("T_conv_w", "T_conv_b", "T_up_w", "T_bn_gamma", "T_bn_beta", "T_fc_w", "T_fc_b");
            assertThat(p.statistics()).extracting(v -> v.op().name()).containsExactly("T_bn_mean", "T_bn_var");
        }
    }

    /**
     * G: projection of (z, y) to 4x4xc0 (no bias) and its batch norm; each transposed conv halves the channels; with
     * a top layer, the last one draws its channels (batch norm) and a 3x3 convolution with a bias draws RGB.
     */
    static long generatorParameters(ModelConfig c) {
        long k2 = (long) c.kernel() * c.kernel(), channels = (long) c.ngf() << (c.stages() - 1);
        long n = (c.zDim() + Y) * 16 * channels + 2 * channels;
        for (int i = 1; i < c.stages(); i++, channels /= 2) n += k2 * channels * (channels / 2) + 2 * (channels / 2);
        long skip = c.gSkip() ? ((long) c.ngf() << (c.stages() - 1)) * 3 : 0; // the seed's RGB image, no bias
        long top = c.gTopChannels();
        if (top > 0) return n + k2 * channels * top + 2 * top + 9 * top * 3 + 3 + skip; // the top layer and its BN, 3x3 to RGB
        return n + k2 * channels * 3 + 3 + skip;                            // the RGB layer has a bias
    }

    /** D: the conv trunk; the hidden layer on (features, y) if any; the logit; the attribute head on the features. */
    static long discriminatorParameters(ModelConfig c) {
        long features = 16L * (c.ndf() << (c.stages() - 1)) + (c.dThumbnail() ? Discriminator.THUMBNAIL_VALUES : 0)
                + (c.dMinibatchStddev() ? 1 : 0), h = c.dHidden();
        long heads = h > 0 ? (features + Y) * h + h + h + 1 : features + Y + 1;
        return trunkParameters(c, c.ndf()) + heads + features * Y + Y;
    }

    /** E: the conv trunk, then a dense layer to z. */
    static long encoderParameters(ModelConfig c) {
        long features = 16L * (c.nef() << (c.stages() - 1));
        return trunkParameters(c, c.nef()) + features * c.zDim() + c.zDim();
    }

    /** Stride-2 convolutions from 3 channels, doubling from {@code width}: a bias on the first, batch norm on the rest. */
    static long trunkParameters(ModelConfig c, int width) {
        long k2 = (long) c.kernel() * c.kernel(), n = k2 * 3 * width + width;
        for (int i = 1; i < c.stages(); i++) n += k2 * (width << (i - 1)) * (width << i) + 2L * (width << i);
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"faces32", "faces64", "dcgan64"})
    void flopCountsAreThoseOfTheBuiltNetworksConvolutionsAndProducts(String preset) {
        ModelConfig c = ModelConfig.load(preset);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Generator gen = new Generator(new Params(tf, "G", 1), c, Y);
            Discriminator dis = new Discriminator(new Params(tf, "D", 2), c, Y);
            Encoder enc = new Encoder(new Params(tf, "E", 3), c);
            // one image, in training mode (inference computes G's RGB layer in its sub-pixel form)
            Operand<TFloat32> image = gen.apply(tf, tf.constant(new float[1][c.zDim()]), tf.constant(new float[1][Y]), Mode.TRAIN);
            dis.apply(tf, image, tf.constant(new float[1][Y]), Mode.TRAIN);
            enc.apply(tf, image, Mode.TRAIN);
            // integer counts far below 2^53: the double sums on both sides are exact
            assertThat(graphFlops(g, "G_")).as("G").isEqualTo(Flops.generator(c, Y));
            assertThat(graphFlops(g, "D_")).as("D").isEqualTo(Flops.discriminator(c, Y));
            assertThat(graphFlops(g, "E_")).as("E").isEqualTo(Flops.encoder(c));
        }
    }

    /**
     * 2 FLOPs per multiply-add of the convolutions, transposed convolutions and matrix products whose weights are the
     * variables of one network ({@code prefix}: "G_"), from the static shapes TensorFlow gives their operands. D's
     * attribute head is left out, as {@link Flops} leaves it: the network of the bench's reference
     * (../shared/bench/REFERENCE.md) has none.
     */
    static double graphFlops(Graph g, String prefix) {
        double[] flops = {0};
        g.operations().forEachRemaining(o -> {
            GraphOperation op = (GraphOperation) o;
            boolean product = op.type().equals("Conv2D") || op.type().equals("Conv2DBackpropInput") || op.type().equals("MatMul");
            if (!product || !weightName(op).startsWith(prefix)) return;
            switch (op.type()) {
                case "Conv2D" -> {                      // filter [k, k, in, out], output [1, H/2, W/2, out]
                    long[] w = dims(op.input(1).shape()), y = dims(op.output(0).shape());
                    flops[0] += 2.0 * y[1] * y[2] * w[0] * w[1] * w[2] * w[3];
                }
                case "Conv2DBackpropInput" -> {         // filter [k, k, out, in], input [1, H, W, in]
                    long[] w = dims(op.input(1).shape()), x = dims(op.input(2).shape());
                    flops[0] += 2.0 * x[1] * x[2] * w[0] * w[1] * w[2] * w[3];
                }
                case "MatMul" -> {                      // [1, in] x [in, out]; G's skip: [16 pixels, in] x [in, 3]
                    if (weightName(op).equals("D_attributes_w")) return;
                    long[] w = dims(op.input(1).shape());
                    flops[0] += 2.0 * w[0] * w[1] * (weightName(op).equals("G_seed_rgb_w") ? 16 : 1);
                }
                default -> { }
            }
        });
        return flops[0];
    }

    /** The variable a layer's weights (the op's second input) are read from, through {@link Params#read}'s identity. */
    static String weightName(GraphOperation op) {
        return ((GraphOperation) op.input(1).op()).input(0).op().name();
    }

    static long[] dims(Shape shape) {
        long[] d = shape.asArray();
        assertThat(d).as("a static shape").doesNotContain(-1L);
        return d;
    }

    @Test
    void aTrainingStepOfTheReferenceFaces64IsTheReferencesFigure() {
        // REFERENCE.md: faces64 (ngf = ndf = 32, k = 4, z = 100, y = 8, batch 64) is about 41 GFLOP per step,
        // a figure given to the nearest GFLOP: within 0.5 of it
        ModelConfig faces64 = new ModelConfig("faces64", "", 64, 100, 32, 32, 32, 4, 0);
        assertThat(Flops.trainingStep(faces64, 8, 64) / 1e9).isCloseTo(41.0, offset(0.5));
    }
}
