package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import org.facegan.model.Flops;
import org.facegan.model.ModelConfig;
import org.facegan.train.RunDirectory;
import org.junit.jupiter.api.Test;

/** The benchmark's JSON line has every figure the performance notes use (values are the machine's, not checked). */
class BenchCommandTest {
    @Test
    void printsOneJsonLineWithEveryFigure() throws Exception {
        String[] lines = benchOutput("bench", "--net", "small", "--batch", "4", "--steps", "1", "--warmup", "0")
                .strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode json = RunDirectory.JSON.readTree(lines[0]);
        for (String positive : new String[] {"train_ms_per_step", "d_ms", "g_ms", "e_ms", "d_g_e_step_ms",
                "train_images_per_s", "sample_images_per_s", "sample_images_per_s_b1", "sample_images_per_s_b256",
                "gflops", "matmul_gflops", "share_of_matmul", "conv_alone_ms", "conv_alone_over_step", "peak_rss_mib",
                "g_params", "d_params"}) {
            assertThat(json.path(positive).asDouble()).as(positive).isPositive();
        }
        assertThat(json.get("net").asText()).isEqualTo("small");
        assertThat(json.get("gflop_per_step").asDouble()).isCloseTo(
                Flops.trainingStep(BenchCommand.reference(BenchCommand.Net.small), BenchCommand.Y_DIM, 4) / 1e9,
                offset(0.05));
    }

    @Test
    void reusedFakesCountOneGeneratorPassFewer() throws Exception {
        JsonNode json = RunDirectory.JSON.readTree(benchOutput("bench", "--net", "small", "--batch", "4", "--steps", "1",
                "--warmup", "0", "--reuse-fakes"));
        ModelConfig small = BenchCommand.reference(BenchCommand.Net.small);
        assertThat(json.get("reuse_fakes").asBoolean()).isTrue();
        assertThat(json.get("gflop_per_step").asDouble()).isCloseTo(
                Flops.trainingStep(small, BenchCommand.Y_DIM, 4, true) / 1e9, offset(0.05));
        assertThat(Flops.trainingStep(small, BenchCommand.Y_DIM, 4) - Flops.trainingStep(small, BenchCommand.Y_DIM, 4, true))
                .isCloseTo(4 * Flops.generator(small, BenchCommand.Y_DIM), offset(1.0));
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
