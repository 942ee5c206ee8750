package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.facegan.model.Flops;
import org.facegan.model.ModelConfig;
import org.facegan.train.RunDirectory;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/**
 * The benchmark's JSON line has every figure the performance notes use (times are the machine's, not checked), and
 * the form from before the subcommands ({@code bench --net ...}, {@code --data}, {@code --serve}) reaches the same code.
 */
class BenchCommandTest {
    static final int BATCH = 4, Y = BenchTrainCommand.Y_DIM;

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

    /** The JSON line's fields, in order, as scripts and the performance notes read them (fp32 on one device). */
    static final List<String> FIELDS = List.of("tool", "tensorflow", "net", "size", "batch", "precision", "conv", "reuse_fakes",
            "train_ms_per_step", "d_ms", "g_ms", "e_ms", "d_g_e_step_ms", "train_images_per_s", "sample_images_per_s",
            "sample_images_per_s_b1", "sample_images_per_s_b256", "gflop_per_step", "gflops", "d_g_e_gflops",
            "matmul_gflops", "share_of_matmul", "conv_alone_ms", "conv_alone_over_step", "g_params", "d_params",
            "peak_rss_mib", "host");

    @Test
    void printsOneJsonLineWithEveryFigure() throws Exception {
        JsonNode json = oneJsonLine(benchOutput("bench", "train", "--net", "small", "--batch", "" + BATCH,
                "--steps", "1", "--warmup", "0"));
        assertThat(json.fieldNames()).toIterable().containsExactlyElementsOf(FIELDS);
        for (String positive : new String[] {"train_ms_per_step", "d_ms", "g_ms", "e_ms", "d_g_e_step_ms",
                "train_images_per_s", "sample_images_per_s", "sample_images_per_s_b1", "sample_images_per_s_b256",
                "gflops", "matmul_gflops", "share_of_matmul", "conv_alone_ms", "conv_alone_over_step", "peak_rss_mib"}) {
            assertThat(json.path(positive).asDouble()).as(positive).isPositive();
        }
        assertThat(json.get("net").asText()).isEqualTo("small");
        // the host as facegan --version prints it: what makes a timing comparable
        assertThat(json.get("host").fieldNames()).toIterable().containsExactlyElementsOf(Version.fields().keySet());
        assertThat(json.at("/host/onednn").asText()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(json.at("/host/cpu").asText()).isNotBlank();
        assertThat(json.get("gflop_per_step").asDouble()).isCloseTo(handCountedStep(false) / 1e9, offset(PRINTED_GFLOP));
        // integer counts far below 2^53: the double sums are exact
        assertThat(Flops.trainingStep(BenchTrainCommand.reference(BenchTrainCommand.Net.small), Y, BATCH))
                .isEqualTo(handCountedStep(false));
        // the parameters of REFERENCE.md's layers, plus the attribute head facegan's D always has (features -> y)
        long g = (100 + 8) * 4096 + 2 * 256 + 16 * 256 * 128 + 2 * 128 + 16 * 128 * 64 + 2 * 64 + 16 * 64 * 3 + 3;
        long d = 16 * 3 * 64 + 64 + 16 * 64 * 128 + 2 * 128 + 16 * 128 * 256 + 2 * 256 + (4096 + 8) + 1 + 4096 * 8 + 8;
        assertThat(json.get("g_params").asLong()).isEqualTo(g);
        assertThat(json.get("d_params").asLong()).isEqualTo(d);
    }

    @Test
    void reusedFakesCountOneGeneratorPassFewer() throws Exception {
        JsonNode json = oneJsonLine(benchOutput("bench", "train", "--net", "small", "--batch", "" + BATCH,
                "--steps", "1", "--warmup", "0", "--reuse-fakes"));
        ModelConfig small = BenchTrainCommand.reference(BenchTrainCommand.Net.small);
        assertThat(json.get("reuse_fakes").asBoolean()).isTrue();
        assertThat(json.get("gflop_per_step").asDouble()).isCloseTo(handCountedStep(true) / 1e9, offset(PRINTED_GFLOP));
        assertThat(Flops.trainingStep(small, Y, BATCH, true)).isEqualTo(handCountedStep(true));
        assertThat(Flops.generator(small, Y)).isEqualTo(SMALL_G);
        assertThat(Flops.discriminator(small, Y)).isEqualTo(SMALL_D);
        assertThat(json.get("train_ms_per_step").asDouble()).isPositive();
    }

    @Test
    void theFormBeforeTheSubcommandsPrintsTheSameLine() throws Exception {
        JsonNode json = oneJsonLine(benchOutput("bench", "--net", "small", "--steps", "1", "--warmup", "0",
                "--batch", "" + BATCH));
        assertThat(json.fieldNames()).toIterable().containsExactlyElementsOf(FIELDS);
        assertThat(json.get("net").asText()).isEqualTo("small");
        assertThat(json.get("batch").asInt()).isEqualTo(BATCH);
        assertThat(json.get("train_ms_per_step").asDouble()).isPositive();
    }

    @Test
    void theFormBeforeTheSubcommandsParsesAsTheSubcommand() {
        BenchTrainCommand train = parsed(BenchTrainCommand.class, "bench", "--net", "faces64", "--batch", "8",
                "--threads", "2", "--precision", "bf16", "--devices", "cpu:0,cpu:1", "--reuse-fakes");
        assertThat(train.net).isEqualTo(BenchTrainCommand.Net.faces64);
        assertThat(train.batch).isEqualTo(8);
        assertThat(train.threadsOption.threads).isEqualTo(2);
        assertThat(train.precisionOption.precision).isEqualTo("bf16");
        assertThat(train.devicesOption.devices).isEqualTo("cpu:0,cpu:1");
        assertThat(train.reuseFakes).isTrue();
        BenchTrainCommand bare = parsed(BenchTrainCommand.class, "bench");
        assertThat(bare.net).isEqualTo(BenchTrainCommand.Net.small);
        assertThat(bare.batch).isEqualTo(64);
        assertThat(bare.steps).isEqualTo(15);

        BenchInputCommand input = parsed(BenchInputCommand.class, "bench", "--size", "32", "--data", "synthetic:8",
                "--batch", "16");
        assertThat(input.data).isEqualTo("synthetic:8");
        assertThat(input.size).isEqualTo(32);
        assertThat(input.batch).isEqualTo(16);

        String url = "http://127.0.0.1:8501/v1/models/faces";
        for (String[] args : new String[][] {{"bench", "--serve", url, "--requests", "5"},
                {"bench", "--requests", "5", "--serve=" + url}, {"bench", "serve", url, "--requests", "5"}}) {
            BenchServeCommand serve = parsed(BenchServeCommand.class, args);
            assertThat(serve.url).as(String.join(" ", args)).isEqualTo(url);
            assertThat(serve.requests).isEqualTo(5);
            assertThat(serve.clients).isEqualTo(32);
            assertThat(serve.malformed).isEqualTo(1000);
        }
    }

    /** The command object that {@code args} reach, with its options set as picocli parsed them. */
    private static <T> T parsed(Class<T> type, String... args) {
        ParseResult result = Facegan.commandLine().parseArgs(args);
        while (result.hasSubcommand()) result = result.subcommand();
        return type.cast(result.commandSpec().userObject());
    }

    private static JsonNode oneJsonLine(String output) throws Exception {
        String[] lines = output.strip().split("\n");
        assertThat(lines).as(output).hasSize(1);
        return RunDirectory.JSON.readTree(lines[0]);
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

    /** The step bench times is the peer's: no term that train's defaults add (the latent term made G's step carry E's pass). */
    @Test
    void theReferenceStepHasOnlyTheAdversarialLosses() {
        for (BenchTrainCommand.Net net : BenchTrainCommand.Net.values()) {
            var o = BenchTrainCommand.referenceStep(BenchTrainCommand.reference(net), 64, "fp32", "auto", false, 0);
            assertThat(o.latentRecon()).as("%s latent term", net).isZero();
            assertThat(o.modeSeeking()).isZero();
            assertThat(o.gMoments()).isZero();
            assertThat(o.mismatch()).isZero();
            assertThat(o.auxiliary()).isZero();
            assertThat(o.encoderRecon()).isZero();
            assertThat(o.averagesGenerator()).isFalse();
            assertThat(o.model().dThumbnail() || o.model().gSkip() || o.model().dMinibatchStddev()).isFalse();
        }
    }

    @Test
    void convolutionsAloneCoverEveryConvolutionOfTheNetworks() {
        ModelConfig faces64 = BenchTrainCommand.reference(BenchTrainCommand.Net.faces64);
        assertThat(ConvolutionsAlone.layers(faces64)).containsExactly(
                new ConvolutionsAlone.Layer(false, 64, 3, 32), new ConvolutionsAlone.Layer(false, 32, 32, 64),
                new ConvolutionsAlone.Layer(false, 16, 64, 128), new ConvolutionsAlone.Layer(false, 8, 128, 256),
                new ConvolutionsAlone.Layer(true, 4, 256, 128), new ConvolutionsAlone.Layer(true, 8, 128, 64),
                new ConvolutionsAlone.Layer(true, 16, 64, 32), new ConvolutionsAlone.Layer(true, 32, 32, 3));
        for (BenchTrainCommand.Net net : BenchTrainCommand.Net.values()) {
            ModelConfig m = BenchTrainCommand.reference(net);
            int y = BenchTrainCommand.Y_DIM, top = m.ndf() << (m.stages() - 1), seed = m.ngf() << (m.stages() - 1);
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
