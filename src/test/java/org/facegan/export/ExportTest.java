package org.facegan.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.facegan.data.FaceDataset;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.testing.Fixtures;
import org.facegan.testing.NetworkRoundoff;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;
import org.facegan.train.StepDraws;
import org.facegan.train.TrainOptions;
import org.facegan.train.Trainer;
import org.facegan.train.TrainingGraph;
import org.facegan.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** The exported SavedModel computes what the training graph computes, in Java and in real TensorFlow. */
class ExportTest {
    static final int Y = 3, N = 5;
    static final FaceDataset DATA = Fixtures.noiseFaces(40, 32, Y);

    @TempDir
    static Path tmp;
    static RunDirectory run;
    static Checkpoints.Checkpoint checkpoint;
    static TrainOptions options;
    static float[] z, y, images;

    @BeforeAll
    static void trainTinyRun() {
        // with G's hidden layer at full resolution and its skip, as the default faces32 has them
        options = Fixtures.options("noise", Fixtures.TINY.withGeneratorTop(4).withGeneratorSkip(true), 12, 0);
        run = new RunDirectory(tmp.resolve("run"));
        checkpoint = new Trainer(options, DATA, run, (i, g, s, f) -> {}).train(TrainingListener.NONE);
        SplittableRandom random = new SplittableRandom(3);
        z = new float[N * options.model().zDim()];
        StepDraws.gaussian(random, z);
        y = new float[N * Y];
        for (int i = 0; i < y.length; i++) y[i] = random.nextInt(2);
        images = new float[N * 32 * 32 * 3];
        for (int i = 0; i < N; i++) DATA.image(i, images, i * 32 * 32 * 3);
    }

    @Test
    void exportedGeneratorMatchesTrainingGraphInInferenceMode() throws Exception {
        Path version = RunExporter.export(run, checkpoint, tmp.resolve("model-a"), 1);
        float[] fromTraining = trainingGraphSamples();
        try (SavedModelBundle bundle = SavedModelBundle.load(version.toString(), "serve")) {
            assertThat(bundle.signatures()).extracting(s -> s.key())
                    .containsExactlyInAnyOrder("serving_default", "encode", "discriminate", "generate_png");
            float[] exported = call(bundle, "serving_default", Map.of("z", matrix(z, N), "y", matrix(y, N)), "images");
            assertThat(exported).containsExactly(fromTraining, within(imagesRounding()));
        }
        assertThat(Files.readAllLines(version.resolve(SavedModelExport.ATTRIBUTES_ASSET))).isEqualTo(DATA.attributeNames());
        assertThat(version.resolve(RunExporter.PROVENANCE)).exists();
        assertThat(WarmupRequests.read(version.resolve(WarmupRequests.FILE)))
                .extracting(r -> r.getModelSpec().getSignatureName())
                .containsExactly("discriminate", "encode", "generate_png", "serving_default");
    }

    @Test
    void outputsDoNotDependOnBatchComposition() {
        try (InferenceGraph g = InferenceGraph.restore(options.model(), Y, false, checkpoint.prefix(), 0)) {
            int zDim = options.model().zDim(), pixels = 32 * 32 * 3;
            float[] together = g.generate(z, y, N);
            float[] encodedTogether = g.encode(images, N);
            float[] logitsTogether = g.discriminate(images, y, N);
            // a batch of one is blocked differently from a batch of N: the sums are reordered
            float encodings = (float) (NetworkRoundoff.encoder(options.model()) * largest(encodedTogether));
            float logits = (float) (NetworkRoundoff.discriminator(options.model(), Y) * largest(logitsTogether));
            for (int i = 0; i < N; i++) {
                float[] alone = g.generate(slice(z, i, zDim), slice(y, i, Y), 1);
                assertThat(alone).containsExactly(slice(together, i, pixels), within(imagesRounding()));
                assertThat(g.encode(slice(images, i, pixels), 1)).containsExactly(slice(encodedTogether, i, zDim), within(encodings));
                assertThat(g.discriminate(slice(images, i, pixels), slice(y, i, Y), 1)[0])
                        .isCloseTo(logitsTogether[i], within(logits));
            }
        }
    }

    @Test
    void generatePngDecodesToTheGeneratedImagesOnePerRow() throws Exception {
        try (InferenceGraph g = InferenceGraph.restore(options.model(), Y, false, checkpoint.prefix(), 0)) {
            float[] generated = g.generate(z, y, N);
            byte[][] pngs = g.generatePng(z, y, N);
            assertThat(pngs.length).isEqualTo(N);
            int pixels = 32 * 32;
            for (int i = 0; i < N; i++) {
                var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(pngs[i]));
                assertThat(image.getWidth()).isEqualTo(32);
                for (int p = 0; p < pixels; p++) {
                    int rgb = image.getRGB(p % 32, p / 32);
                    int[] got = {(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255};
                    for (int c = 0; c < 3; c++) {
                        // the graph rounds (x + 1)·127.5 in float32, half to even; this, in double, half up: only a
                        // value within rounding of a half-level can land one level apart
                        double want = Math.min(255, Math.max(0, Math.round((generated[(i * pixels + p) * 3 + c] + 1) * 127.5)));
                        assertThat((double) got[c]).isCloseTo(want, within(1.0));
                    }
                }
            }
            assertThat(g.generatePng(slice(z, 0, options.model().zDim()), slice(y, 0, Y), 1).length).isEqualTo(1);
        }
    }

    @Test
    void versionsAreNeverOverwritten() {
        Path base = tmp.resolve("model-b");
        RunExporter.export(run, checkpoint, base, SavedModelExport.nextVersion(base));
        assertThat(SavedModelExport.nextVersion(base)).isEqualTo(2);
        assertThatThrownBy(() -> RunExporter.export(run, checkpoint, base, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThat(base.resolve("1/saved_model.pb")).exists();
    }

    @Test
    void realTensorFlowLoadsTheBundleAndComputesTheSameNumbers() throws Exception {
        Path version = RunExporter.export(run, checkpoint, tmp.resolve("model-c"), 1);
        ObjectNode cases = RunDirectory.JSON.createObjectNode();
        double rounding;
        try (InferenceGraph g = InferenceGraph.restore(options.model(), Y, false, checkpoint.prefix(), 0)) {
            int s = 32, zDim = options.model().zDim();
            // Python's TensorFlow is another build with its own kernels: each float output may differ from Java's
            // by its network's reordered sums; the script takes one --atol for all three, the largest
            rounding = Math.max(imagesRounding(), Math.max(
                    NetworkRoundoff.encoder(options.model()) * largest(g.encode(images, N)),
                    NetworkRoundoff.discriminator(options.model(), Y) * largest(g.discriminate(images, y, N))));
            addCase(cases, "serving_default", Map.of("z", tensor(z, N, zDim), "y", tensor(y, N, Y)),
                    "images", tensor(g.generate(z, y, N), N, s, s, 3));
            addCase(cases, "encode", Map.of("images", tensor(images, N, s, s, 3)),
                    "z", tensor(g.encode(images, N), N, zDim));
            addCase(cases, "discriminate", Map.of("images", tensor(images, N, s, s, 3), "y", tensor(y, N, Y)),
                    "logits", tensor(g.discriminate(images, y, N), N, 1));
            ObjectNode pngOf = RunDirectory.JSON.createObjectNode();
            pngOf.set("png_of", tensor(g.generate(z, y, N), N, s, s, 3));
            addCase(cases, "generate_png", Map.of("z", tensor(z, N, zDim), "y", tensor(y, N, Y)), "image_bytes", pngOf);
        }
        Path casesFile = tmp.resolve("cases.json");
        RunDirectory.JSON.writeValue(casesFile.toFile(), cases);

        String python = TfPython.path();
        Process p = new ProcessBuilder(python, "scripts/check_savedmodel.py", version.toString(),
                "--cases", casesFile.toString(), "--atol", Double.toString(rounding)).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("check_savedmodel.py failed:%n%s%n%s", out, err).isZero();
        var report = RunDirectory.JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(report.get("ok").asBoolean()).isTrue();
        assertThat(report.at("/warmup/records").asInt()).as("TF Serving's warm-up requests, run by TensorFlow").isEqualTo(4);
        List<String> loaded = new java.util.ArrayList<>();
        report.get("loaded_signatures").forEach(n -> loaded.add(n.asText()));
        assertThat(loaded).containsExactlyInAnyOrder("serving_default", "encode", "discriminate", "generate_png");
        assertThat(report.get("tags").get(0).get(0).asText()).isEqualTo("serve");
        for (var sig : report.get("signatures")) {
            assertThat(sig.get("method").asText()).isEqualTo("tensorflow/serving/predict");
        }
        List<com.fasterxml.jackson.databind.JsonNode> checks = new java.util.ArrayList<>();
        report.get("checks").forEach(checks::add);
        assertThat(checks).hasSize(7); // 3 float outputs by the loader, the same 3 by saved_model_cli run, 1 PNG
        assertThat(checks).filteredOn(c -> c.has("tool")).hasSize(3).allMatch(c -> c.get("ok").asBoolean());
        var png = checks.stream().filter(c -> c.get("output").asText().equals("image_bytes")).findFirst().orElseThrow();
        assertThat(png.get("output").asText()).isEqualTo("image_bytes");
        assertThat(png.get("decoded_shape").toString()).isEqualTo("[" + N + ",32,32,3]");
        assertThat(report.at("/signatures/generate_png/outputs/image_bytes").toString()).isEqualTo("[-1]");
        assertThat(RunDirectory.JSON.convertValue(report.at("/signatures/generate_png/dtypes"), Map.class))
                .isEqualTo(Map.of("z", "float32", "y", "float32", "image_bytes", "string"));
        assertThat(report.at("/signatures/discriminate/dtypes/attribute_logits").asText()).isEqualTo("float32");
        List<String> listed = new java.util.ArrayList<>();
        report.get("saved_model_cli_signatures").forEach(n -> listed.add(n.asText()));
        assertThat(listed).contains("serving_default", "encode", "discriminate", "generate_png");
        assertThat(report.at("/signatures/serving_default/outputs/images").toString()).isEqualTo("[-1,32,32,3]");
    }

    /**
     * How far two evaluations of G's images may differ when TensorFlow reorders G's sums: tanh passes a relative
     * error of its input p on as at most |p|·sech²(p) < 1 of it, so images in [-1, 1] take G's relative error.
     */
    private static float imagesRounding() {
        return (float) NetworkRoundoff.generator(options.model(), Y);
    }

    private static double largest(float[] values) {
        double m = 0;
        for (float v : values) m = Math.max(m, Math.abs(v));
        return m;
    }

    private float[] trainingGraphSamples() {
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, options.toBuilder().seed(0).build(), Y);
            try (Session session = Sessions.open(graph, 0)) {
                session.restore(checkpoint.prefix());
                try (TFloat32 zt = matrix(z, N); TFloat32 yt = matrix(y, N);
                     Result r = session.runner().feed(t.genZ, zt).feed(t.genY, yt).fetch(t.samples).run()) {
                    return Tensors.read((TFloat32) r.get(0));
                }
            }
        }
    }

    private static float[] call(SavedModelBundle bundle, String signature, Map<String, Tensor> inputs, String output) {
        try (Result r = bundle.function(signature).call(inputs)) {
            return Tensors.read((TFloat32) r.get(output).orElseThrow());
        } finally {
            inputs.values().forEach(Tensor::close);
        }
    }

    private static TFloat32 matrix(float[] values, int rows) {
        return Tensors.matrix(rows, values.length / rows, values);
    }

    private static float[] slice(float[] values, int row, int width) {
        float[] out = new float[width];
        System.arraycopy(values, row * width, out, 0, width);
        return out;
    }

    private static ObjectNode tensor(float[] values, long... shape) {
        ObjectNode n = RunDirectory.JSON.createObjectNode();
        ArrayNode dims = n.putArray("shape");
        for (long d : shape) dims.add(d);
        ArrayNode v = n.putArray("values");
        for (float f : values) v.add(f);
        return n;
    }

    private static void addCase(ObjectNode cases, String signature, Map<String, ObjectNode> inputs, String output,
                                ObjectNode expected) {
        ObjectNode c = cases.putObject(signature);
        ObjectNode in = c.putObject("inputs");
        inputs.forEach(in::set);
        c.putObject("outputs").set(output, expected);
    }
}
