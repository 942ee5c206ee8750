package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** G's resize + 3x3 convolution upsampling (--upsample): its layers, shapes, arithmetic and how models spell it. */
class UpsamplingTest {
    static final int Y = 10, N = 3;

    @ParameterizedTest
    @ValueSource(strings = {"faces32", "faces64", "dcgan64"})
    void aResizeGeneratorHasNoTransposedConvolutionAndDrawsFullSizeImages(String preset) {
        ModelConfig c = ModelConfig.load(preset).withUpsample("resize");
        int s = c.imageSize();
        for (Mode mode : List.of(Mode.TRAIN, Mode.INFERENCE)) {
            try (Graph g = new Graph()) {
                Ops tf = Ops.create(g);
                Generator gen = new Generator(new Params(tf, "G", 1), c, Y);
                Operand<TFloat32> images = gen.apply(tf, tf.constant(new float[N][c.zDim()]), tf.constant(new float[N][Y]), mode);
                assertThat(opTypes(g)).as("%s, %s", preset, mode).doesNotContain("Conv2DBackpropInput")
                        .contains("ResizeNearestNeighbor", "Conv2D");
                assertThat(images.shape()).isEqualTo(Shape.of(N, s, s, 3));
                try (Session session = Sessions.open(g, 1); Result r = session.runner().fetch(images).run()) {
                    TFloat32 out = (TFloat32) r.get(0);
                    assertThat(out.shape()).isEqualTo(Shape.of(N, s, s, 3));
                    for (float v : Tensors.read(out)) assertThat(v).isBetween(-1f, 1f);
                }
                // every up layer's kernel is 3x3: c0·c0/2·9 + ... + c·3·9, plus the same batch norms and RGB bias
                int channels = c.ngf() << (c.stages() - 1);
                long expected = (c.zDim() + Y) * 16L * channels + 2L * channels;
                for (int i = 1; i < c.stages(); i++) {
                    expected += 9L * channels * (channels / 2) + 2L * (channels / 2);
                    channels /= 2;
                }
                long top = c.gTopChannels(); // a hidden layer at full resolution: resized too, then 3x3 to RGB
                expected += top > 0 ? 9L * channels * top + 2L * top + 9L * top * 3 + 3 : 9L * channels * 3 + 3;
                expected += c.gSkip() ? ((long) c.ngf() << (c.stages() - 1)) * 3 : 0;
                assertThat(gen.params().parameterCount()).isEqualTo(expected);
            }
        }
    }

    @Test
    void perLayerSpecsMixTheKindsAndTheDefaultKeepsTransposedConvolutions() {
        ModelConfig mixed = ModelConfig.load("faces32").withUpsample("resize,resize,deconv");
        assertThat(mixed.upsampleLayers()).containsExactly(Upsampling.RESIZE, Upsampling.RESIZE, Upsampling.DECONV);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Generator gen = new Generator(new Params(tf, "G", 1), mixed, Y);
            gen.apply(tf, tf.constant(new float[N][mixed.zDim()]), tf.constant(new float[N][Y]), Mode.TRAIN);
            assertThat(opTypes(g).stream().filter("Conv2DBackpropInput"::equals).count()).as("the last layer only").isEqualTo(1);
            assertThat(gen.params().trainable().stream().map(v -> v.op().name()).toList())
                    .contains("G_up1_resize_w", "G_up2_resize_w")
                    .containsAll(mixed.gTopChannels() > 0 ? List.of("G_top_w", "G_rgb3x3_w", "G_rgb3x3_b") : List.of("G_rgb_w", "G_rgb_b"));
        }
        ModelConfig plain = ModelConfig.load("faces32");
        assertThat(plain.upsample()).isEqualTo("deconv");
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Generator gen = new Generator(new Params(tf, "G", 1), plain, Y);
            gen.apply(tf, tf.constant(new float[N][plain.zDim()]), tf.constant(new float[N][Y]), Mode.TRAIN);
            assertThat(opTypes(g).stream().filter("Conv2DBackpropInput"::equals).count()).isEqualTo(plain.stages());
            assertThat(opTypes(g)).doesNotContain("ResizeNearestNeighbor");
        }
    }

    @Test
    void resizeConvolutionComputesANearestNeighbourUpsampleThenASameConvolution() {
        int h = 3, in = 2, out = 2, size = 2 * h;
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[h * h * in];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Params params = new Params(tf, "T", 9);
            ResizeConv2D layer = new ResizeConv2D(params, "up", in, out, true);
            Operand<TFloat32> y = layer.apply(tf, tf.constant(Shape.of(1, h, h, in),
                    org.tensorflow.ndarray.buffer.DataBuffers.of(x)), size);
            try (Session session = Sessions.open(g, 1)) {
                float[] w, b, got;
                try (Result r = session.runner().fetch(params.trainable().get(0)).fetch(params.trainable().get(1)).fetch(y).run()) {
                    w = Tensors.read((TFloat32) r.get(0));
                    b = Tensors.read((TFloat32) r.get(1));
                    got = Tensors.read((TFloat32) r.get(2));
                }
                assertThat(got).hasSize(size * size * out);
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) {
                        for (int o = 0; o < out; o++) {
                            double sum = b[o], magnitude = Math.abs(b[o]);
                            for (int di = -1; di <= 1; di++) {
                                for (int dj = -1; dj <= 1; dj++) {
                                    int ii = i + di, jj = j + dj;
                                    if (ii < 0 || jj < 0 || ii >= size || jj >= size) continue; // SAME: zero padding
                                    for (int c = 0; c < in; c++) {
                                        double term = x[((ii / 2) * h + jj / 2) * in + c] * w[(((di + 1) * 3 + dj + 1) * in + c) * out + o];
                                        sum += term;
                                        magnitude += Math.abs(term);
                                    }
                                }
                            }
                            // 9·in products and the bias, summed in float32 in some order
                            assertThat((double) got[(i * size + j) * out + o]).isCloseTo(sum,
                                    within(Tolerance.reorderedSum(9L * in + 1, magnitude)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void specsAreCheckedAndModelsWithoutTheFieldsReadAsDcgan(@TempDir Path dir) throws Exception {
        assertThat(ModelConfig.load("faces64").withUpsample("RESIZE,resize,resize,resize").upsample()).isEqualTo("resize");
        assertThatThrownBy(() -> ModelConfig.load("faces32").withUpsample("resize,deconv"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3").hasMessageContaining("resize,deconv");
        assertThatThrownBy(() -> ModelConfig.load("faces32").withUpsample("bilinear"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deconv or resize").hasMessageContaining("bilinear");
        Path old = dir.resolve("old.json");
        Files.writeString(old, "{\"name\":\"x\",\"imageSize\":32,\"zDim\":100,\"ngf\":8,\"ndf\":8,\"nef\":8,\"kernel\":4,\"dHidden\":16}");
        ModelConfig read = ModelConfig.load(old.toString());
        assertThat(read.upsample()).isEqualTo("deconv");
        assertThat(read.dNorm()).isEqualTo(DiscriminatorNorm.BATCH);
        Path both = dir.resolve("both.json");
        Files.writeString(both, "{\"name\":\"x\",\"imageSize\":32,\"zDim\":100,\"ngf\":8,\"ndf\":8,\"nef\":8,\"kernel\":4,"
                + "\"dHidden\":16,\"upsample\":\"resize,deconv,deconv\",\"dNorm\":\"spectral\"}");
        ModelConfig written = ModelConfig.load(both.toString());
        assertThat(written.upsampleLayers()).containsExactly(Upsampling.RESIZE, Upsampling.DECONV, Upsampling.DECONV);
        assertThat(written.spectralD()).isTrue();
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\":\"x\",\"imageSize\":32,\"zDim\":100,\"ngf\":8,\"ndf\":8,\"nef\":8,\"kernel\":4,\"dNorm\":\"layer\"}");
        assertThatThrownBy(() -> ModelConfig.load(bad.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer");
    }

    static List<String> opTypes(Graph g) {
        List<String> types = new ArrayList<>();
        for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) types.add(it.next().type());
        return types;
    }
}
