package org.facegan.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.facegan.data.FaceDataset;
import org.facegan.testing.Fixtures;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;
import org.facegan.train.Trainer;
import org.facegan.train.TrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real TensorBoard (scripts/tf-python's) on 127.0.0.1 over a short training run and its projector directory:
 * its HTTP API lists our scalar, image and histogram tags and serves both embeddings.
 */
class TensorBoardTest {
    static final int Y = 3, COUNT = 12, Z = Fixtures.TINY.zDim();
    static final FaceDataset DATA = Fixtures.noiseFaces(COUNT, 32, Y);
    static final Duration READY = Duration.ofSeconds(90);
    static final List<String> SCALAR_TAGS =
            List.of("d_loss", "g_loss", "e_loss", "d_real", "d_fake", "images_per_s", "input_wait", "learning_rate",
                    "d_skips", "g_skips", "d_l2", "d_gen");

    @TempDir
    static Path tmp;
    static Process tensorboard;
    static String base;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void trainProjectAndStartTensorBoard() throws Exception {
        Path runDir = tmp.resolve("run");
        Checkpoints.Checkpoint last = new Trainer(Fixtures.options("noise", Fixtures.TINY, 12, 0), DATA,
                new RunDirectory(runDir), (i, g, s, f) -> {}).train(TrainingListener.NONE);
        try (InferenceGraph g = InferenceGraph.restore(Fixtures.TINY, Y, false, last.prefix(), 0)) {
            Projector.write(g, DATA, COUNT, 0, last.step(), runDir.resolve("projector"));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        tensorboard = new ProcessBuilder(TfPython.path(), "-m", "tensorboard.main", "--logdir", runDir.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--load_fast", "false",
                "--reload_interval", "1")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("tensorboard.log").toFile()).start();
        long deadline = System.nanoTime() + READY.toNanos();
        while (true) {
            assertThat(tensorboard.isAlive()).as("TensorBoard exited: %s", log()).isTrue();
            try {
                JsonNode tags = json("/data/plugin/scalars/tags");
                if (tags.has(".") && tags.get(".").size() == SCALAR_TAGS.size()) break;
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("TensorBoard not ready in %s: %s", READY, log()).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    @AfterAll
    static void stopTensorBoard() throws Exception {
        if (tensorboard == null) return;
        List<ProcessHandle> children = new ArrayList<>(tensorboard.toHandle().descendants().toList());
        tensorboard.destroy();
        if (!tensorboard.waitFor(10, TimeUnit.SECONDS)) tensorboard.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroy);
    }

    @Test
    void listsTheTrainingTags() throws Exception {
        assertThat(names(json("/data/plugin/scalars/tags").get(".")))
                .containsExactlyInAnyOrderElementsOf(SCALAR_TAGS);
        assertThat(names(json("/data/plugin/images/tags").get("."))).singleElement().asString().startsWith("samples");
        assertThat(names(json("/data/plugin/histograms/tags").get(".")))
                .containsExactlyInAnyOrder("d_logits_real", "d_logits_fake", "e_z");
        JsonNode scalars = json("/data/plugin/scalars/scalars?run=.&tag=d_loss");
        assertThat(scalars).hasSize(2); // metrics rows at steps 10 and 12
        assertThat(scalars.get(1).get(1).asLong()).isEqualTo(12);
        JsonNode lr = json("/data/plugin/scalars/scalars?run=.&tag=learning_rate");
        assertThat(lr.get(0).get(2).asDouble()).isCloseTo(2e-4, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void servesBothEmbeddingsToTheProjector() throws Exception {
        assertThat(names(json("/data/plugin/projector/runs"))).containsExactly("projector");
        JsonNode info = json("/data/plugin/projector/info?run=projector");
        assertThat(info.get("embeddings")).hasSize(2);
        for (JsonNode e : info.get("embeddings")) {
            assertThat(e.get("tensorShape").toString()).isEqualTo("[" + COUNT + "," + Z + "]");
            String name = URLEncoder.encode(e.get("tensorName").asText(), StandardCharsets.UTF_8);
            String q = "?run=projector&name=" + name;
            HttpResponse<byte[]> tensor = get("/data/plugin/projector/tensor" + q + "&num_rows=" + COUNT);
            assertThat(tensor.statusCode()).isEqualTo(200);
            assertThat(tensor.body()).hasSize(COUNT * Z * 4); // float32 rows
            HttpResponse<byte[]> metadata = get("/data/plugin/projector/metadata" + q + "&num_rows=" + COUNT);
            assertThat(metadata.statusCode()).isEqualTo(200);
            List<String> lines = new String(metadata.body(), StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).hasSize(COUNT + 1);
            assertThat(lines.get(0)).isEqualTo("index\tAttr_0\tAttr_1\tAttr_2");
            HttpResponse<byte[]> sprite = get("/data/plugin/projector/sprite_image" + q);
            assertThat(sprite.statusCode()).isEqualTo(200);
            var image = ImageIO.read(new ByteArrayInputStream(sprite.body()));
            assertThat(image.getWidth()).isEqualTo(image.getHeight()).isEqualTo(4 * 32); // ceil(sqrt(12)) thumbnails
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) node.forEach(n -> out.add(n.asText()));
        else node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<byte[]> r = get(path);
        assertThat(r.statusCode()).as("GET %s: %s", path, new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return RunDirectory.JSON.readTree(r.body());
    }

    private static String log() {
        try {
            return java.nio.file.Files.readString(tmp.resolve("tensorboard.log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }
}
