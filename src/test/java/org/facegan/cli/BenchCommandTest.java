package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import org.facegan.model.Flops;
import org.facegan.model.ModelConfig;
import org.facegan.train.RunDirectory;
import org.junit.jupiter.api.Test;

/** The benchmark's JSON line has every figure the performance notes use (times are the machine's, not checked). */
class BenchCommandTest {
    static final int BATCH = 4, Y = BenchCommand.Y_DIM;

    /**
     * The small reference network's forward FLOPs per image, counted here layer by layer from the shapes of
     * ../shared/bench/REFERENCE.md (S = 32, ngf = ndf = 64, k = 4, z = 100, y = 8; 2 FLOPs per multiply-add).
     */
    static final double SMALL_G = dense(100 + 8, 4 * 4 * 256)       // concat(z, y) -> 4x4x256, no bias
            + transposedConv(4, 4, 256, 128)                        // 4x4x256 -> 8x8x128
            + transposedConv(8, 4, 128, 64)                         // 8x8x128 -> 16x16x64
            + transposedConv(16, 4, 64, 3);                         // 16x16x64 -> 32x32x3
    static final double SMALL_D = conv(16, 4, 3, 64)                // 32x32x3 -> 16x16x64
            + conv(8, 4, 64, 128)                                   // -> 8x8x128
            + conv(4, 4, 128, 256)                                  // -> 4x4x256
            + dense(4 * 4 * 256 + 8, 1);                            // concat(features, y) -> logit

    /** A stride-2 convolution: every output pixel takes k*k*in multiply-adds per output channel. */
    static double conv(int outSize, int k, int in, int out) {
        return 2.0 * outSize * outSize * k * k * in * out;
    }

    /** A stride-2 transposed convolution: every input pixel scatters a k*k*out patch. */
    static double transposedConv(int inSize, int k, int in, int out) {
        return 2.0 * inSize * inSize * k * k * in * out;
    }

    static double dense(int in, int out) {
        return 2.0 * in * out;
    }

    /**
     * A training step as REFERENCE.md counts it, for a whole batch: the D phase runs G forward, D forward on the real
     * and the fake batch and D backward (twice a forward, on both batches): G + 6 D; the G phase runs G forward and
     * backward and D forward and back to its input: 3 G + 2 D. With reused fakes G's phase skips its forward pass.
     */
    static double handCountedStep(boolean reuseFakes) {
        return BATCH * ((reuseFakes ? 3 : 4) * SMALL_G + 8 * SMALL_D);
    }

    /** The JSON line rounds GFLOP to one decimal: half a step of 0.1 either way, plus double rounding's crumbs. */
    static final double PRINTED_GFLOP = 0.05 + 1e-9;

    @Test
    void printsOneJsonLineWithEveryFigure() throws Exception {
        String[] lines = benchOutput("bench", "--net", "small", "--batch", "" + BATCH, "--steps", "1", "--warmup", "0")
                .strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode json = RunDirectory.JSON.readTree(lines[0]);
        for (String positive : new String[] {"train_ms_per_step", "d_ms", "g_ms", "e_ms", "d_g_e_step_ms",
                "train_images_per_s", "sample_images_per_s", "sample_images_per_s_b1", "sample_images_per_s_b256",
                "gflops", "matmul_gflops", "share_of_matmul", "conv_alone_ms", "conv_alone_over_step", "peak_rss_mib"}) {
            assertThat(json.path(positive).asDouble()).as(positive).isPositive();
        }
        assertThat(json.get("net").asText()).isEqualTo("small");
        assertThat(json.get("gflop_per_step").asDouble()).isCloseTo(handCountedStep(false) / 1e9, offset(PRINTED_GFLOP));
        // integer counts far below 2^53: the double sums are exact
        assertThat(Flops.trainingStep(BenchCommand.reference(BenchCommand.Net.small), Y, BATCH))
                .isEqualTo(handCountedStep(false));
        // the parameters of REFERENCE.md's layers, plus the attribute head facegan's D always has (features -> y)
        long g = (100 + 8) * 4096 + 2 * 256 + 16 * 256 * 128 + 2 * 128 + 16 * 128 * 64 + 2 * 64 + 16 * 64 * 3 + 3;
        long d = 16 * 3 * 64 + 64 + 16 * 64 * 128 + 2 * 128 + 16 * 128 * 256 + 2 * 256 + (4096 + 8) + 1 + 4096 * 8 + 8;
        assertThat(json.get("g_params").asLong()).isEqualTo(g);
        assertThat(json.get("d_params").asLong()).isEqualTo(d);
    }

    @Test
    void reusedFakesCountOneGeneratorPassFewer() throws Exception {
        JsonNode json = RunDirectory.JSON.readTree(benchOutput("bench", "--net", "small", "--batch", "" + BATCH,
                "--steps", "1", "--warmup", "0", "--reuse-fakes"));
        ModelConfig small = BenchCommand.reference(BenchCommand.Net.small);
        assertThat(json.get("reuse_fakes").asBoolean()).isTrue();
        assertThat(json.get("gflop_per_step").asDouble()).isCloseTo(handCountedStep(true) / 1e9, offset(PRINTED_GFLOP));
        assertThat(Flops.trainingStep(small, Y, BATCH, true)).isEqualTo(handCountedStep(true));
        assertThat(Flops.generator(small, Y)).isEqualTo(SMALL_G);
        assertThat(Flops.discriminator(small, Y)).isEqualTo(SMALL_D);
        assertThat(json.get("train_ms_per_step").asDouble()).isPositive();
    }

    /** What the command prints on stdout; it must exit 0. */
    private static String benchOutput(String... args) {
        var previous = System.out;
        var captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        try {
            assertThat(Facegan.commandLine().execute(args)).isZero();
        } finally {
            System.setOut(previous);
        }
        return captured.toString();
    }

    @Test
    void convolutionsAloneCoverEveryConvolutionOfTheNetworks() {
        ModelConfig faces64 = BenchCommand.reference(BenchCommand.Net.faces64);
        assertThat(ConvolutionsAlone.layers(faces64)).containsExactly(
                new ConvolutionsAlone.Layer(false, 64, 3, 32), new ConvolutionsAlone.Layer(false, 32, 32, 64),
                new ConvolutionsAlone.Layer(false, 16, 64, 128), new ConvolutionsAlone.Layer(false, 8, 128, 256),
                new ConvolutionsAlone.Layer(true, 4, 256, 128), new ConvolutionsAlone.Layer(true, 8, 128, 64),
                new ConvolutionsAlone.Layer(true, 16, 64, 32), new ConvolutionsAlone.Layer(true, 32, 32, 3));
        for (BenchCommand.Net net : BenchCommand.Net.values()) {
            ModelConfig m = BenchCommand.reference(net);
            int y = BenchCommand.Y_DIM, top = m.ndf() << (m.stages() - 1), seed = m.ngf() << (m.stages() - 1);
            double d = 0, g = 0;
            for (ConvolutionsAlone.Layer layer : ConvolutionsAlone.layers(m)) {
                if (layer.transposed()) g += layer.forwardFlops(m.kernel());
                else d += layer.forwardFlops(m.kernel());
            }
            // Flops adds the dense layers: D's logit from its last features and y, G's projection of z and y
            assertThat(d + 2.0 * (16 * top + y)).as(net.name()).isCloseTo(Flops.discriminator(m, y), offset(1.0));
            assertThat(g + 2.0 * (m.zDim() + y) * 16 * seed).as(net.name()).isCloseTo(Flops.generator(m, y), offset(1.0));
        }
    }
}
