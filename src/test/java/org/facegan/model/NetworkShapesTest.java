package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Every layer and network produces the shapes the architecture table promises, for each preset. */
class NetworkShapesTest {
    static final int Y = 10, N = 3;

    @ParameterizedTest
    @ValueSource(strings = {"faces32", "faces64", "dcgan64"})
    void networksProduceDocumentedShapes(String preset) {
        ModelConfig c = ModelConfig.load(preset);
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

    @ParameterizedTest
    @ValueSource(strings = {"faces32", "faces64"})
    void flopCountMatchesTheReferenceFigure(String preset) {
        // REFERENCE.md: faces64 (ngf = ndf = 32, k = 4, batch 64) is about 41 GFLOP per step.
        ModelConfig c = ModelConfig.load(preset);
        ModelConfig faces64 = new ModelConfig("f", "", 64, 100, 32, 32, 32, 4, 0);
        assertThat(Flops.trainingStep(faces64, 8, 64) / 1e9).isBetween(35.0, 47.0);
        assertThat(Flops.generator(c, Y)).isPositive();
        assertThat(List.of(Flops.discriminator(c, Y), Flops.encoder(c))).allMatch(f -> f > 0);
    }
}
