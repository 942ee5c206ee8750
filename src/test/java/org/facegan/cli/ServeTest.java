package org.facegan.cli;

import org.facegan.testing.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import org.facegan.io.AtomicFiles;
import org.facegan.serve.RestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code facegan serve}'s REST API against an exported model: answers equal the Java SavedModel call; bad requests get 4xx. */
class ServeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int Z = 16, Y = 10, S = 32;

    @TempDir
    static Path tmp;
    static Path base;
    static RestServer server;
    static String url;

    @BeforeAll
    static void exportAndServe() throws Exception {
        Path model = Files.writeString(tmp.resolve("tiny.json"), CliTest.TINY_MODEL);
        base = tmp.resolve("export/tiny");
        assertThat(CliTest.run("train", "--data", "synthetic:64", "--model", model.toString(), "--steps", "4",
                "--batch", "8", "--run", tmp.resolve("run").toString(), "--export", base.toString()).code()).isZero();
        server = new RestServer(Map.of("tiny", base), "127.0.0.1", 0, 64, 1 << 20, 3600, line -> {});
        url = "http://127.0.0.1:" + server.port() + "/v1/models/tiny";
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    record Reply(int status, JsonNode json) {}

    static Reply get(String path) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    static Reply post(String path, String body) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    static float[] random(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) random.nextGaussian();
        return out;
    }

    static float[] flat(JsonNode node) {
        java.util.List<Float> values = new java.util.ArrayList<>();
        collect(node, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    private static void collect(JsonNode node, java.util.List<Float> out) {
        if (node.isArray()) node.forEach(c -> collect(c, out));
        else out.add(node.floatValue());
    }

    static String rows(float[] values, int n, int width) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < width; j++) b.append(j == 0 ? "" : ",").append(values[i * width + j]);
            b.append(']');
        }
        return b.append(']').toString();
    }

    @Test
    void statusAndMetadataLookLikeTfServings() throws Exception {
        Reply status = get("");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().at("/model_version_status/0/version").asText()).isEqualTo("1");
        assertThat(status.json().at("/model_version_status/0/state").asText()).isEqualTo("AVAILABLE");
        Reply metadata = get("/metadata");
        assertThat(metadata.status()).isEqualTo(200);
        JsonNode defs = metadata.json().at("/metadata/signature_def/signature_def");
        assertThat(defs.has("serving_default") && defs.has("encode") && defs.has("discriminate") && defs.has("generate_png")).isTrue();
        assertThat(defs.at("/serving_default/inputs/z/dtype").asText()).isEqualTo("DT_FLOAT");
        assertThat(defs.at("/serving_default/inputs/z/tensor_shape/dim/1/size").asText()).isEqualTo("" + Z);
        assertThat(metadata.json().at("/model_spec/version").asText()).isEqualTo("1");
    }

    @Test
    void rowAndColumnarPredictEqualTheJavaSavedModelCall() throws Exception {
        int n = 3;
        float[] z = random(n * Z, 1), y = new float[n * Y];
        y[0] = 1;
        y[Y + 3] = 1;
        float[] expected;
        try (LatentModel.FromBundle bundle = new LatentModel.FromBundle(base.resolve("1"))) {
            expected = bundle.generate(z, y, n);
        }
        StringBuilder instances = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            float[] zi = java.util.Arrays.copyOfRange(z, i * Z, (i + 1) * Z), yi = java.util.Arrays.copyOfRange(y, i * Y, (i + 1) * Y);
            instances.append(i == 0 ? "" : ",").append("{\"z\":").append(rows(zi, 1, Z).replaceAll("^\\[|\\]$", ""))
                    .append(",\"y\":").append(rows(yi, 1, Y).replaceAll("^\\[|\\]$", "")).append('}');
        }
        Reply row = post(":predict", "{\"instances\":" + instances.append(']') + "}");
        assertThat(row.status()).as(row.json().toString()).isEqualTo(200);
        assertThat(row.json().get("predictions").size()).isEqualTo(n);
        assertThat(flat(row.json().get("predictions"))).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-6f));

        Reply columnar = post("/versions/1:predict", "{\"signature_name\":\"serving_default\",\"inputs\":{\"z\":"
                + rows(z, n, Z) + ",\"y\":" + rows(y, n, Y) + "}}");
        assertThat(columnar.status()).isEqualTo(200);
        assertThat(flat(columnar.json().get("outputs"))).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void encodeTakesPlainInstancesAndGeneratePngAnswersBase64Pngs() throws Exception {
        float[] images = new float[2 * S * S * 3];
        float[] z;
        try (LatentModel.FromBundle bundle = new LatentModel.FromBundle(base.resolve("1"))) {
            z = bundle.encode(images, 2);
        }
        String one = "[" + String.join(",", java.util.Collections.nCopies(S, "[" + String.join(",",
                java.util.Collections.nCopies(S, "[0,0,0]")) + "]")) + "]";
        Reply encoded = post(":predict", "{\"signature_name\":\"encode\",\"instances\":[" + one + "," + one + "]}");
        assertThat(encoded.status()).as(encoded.json().toString()).isEqualTo(200);
        assertThat(flat(encoded.json().get("predictions"))).containsExactly(z, org.assertj.core.data.Offset.offset(1e-5f));

        Reply png = post(":predict", "{\"signature_name\":\"generate_png\",\"inputs\":{\"z\":" + rows(random(Z, 2), 1, Z)
                + ",\"y\":" + rows(new float[Y], 1, Y) + "}}");
        assertThat(png.status()).as(png.json().toString()).isEqualTo(200);
        byte[] bytes = Base64.getDecoder().decode(png.json().at("/outputs/0/b64").asText());
        var decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        assertThat(decoded.getWidth()).isEqualTo(S);
    }

    @Test
    void badRequestsGetTheRightStatusAndAnErrorAndTheServerStaysHealthy() throws Exception {
        String goodY = rows(new float[Y], 1, Y);
        Object[][] cases = {
                {":predict", "{not json", 400, "malformed JSON"},
                {":predict", "[1,2]", 400, "JSON object"},
                {":predict", "{}", 400, "instances"},
                {":predict", "{\"signature_name\":\"nope\",\"instances\":[1]}", 400, "nope"},
                {":predict", "{\"inputs\":{\"z\":" + rows(new float[Z + 1], 1, Z + 1) + ",\"y\":" + goodY + "}}", 400, "shape"},
                {":predict", "{\"inputs\":{\"z\":[[\"a\"" + ",0".repeat(Z - 1) + "]],\"y\":" + goodY + "}}", 400, "expected a number"},
                {":predict", "{\"inputs\":{\"z\":[[1,2],[3]],\"y\":" + goodY + "}}", 400, "different lengths"},
                {":predict", "{\"inputs\":{\"z\":[[1,2],[[3],[4]]],\"y\":" + goodY + "}}", 400, "different lengths or depths"},
                {":predict", "{\"inputs\":{\"y\":" + goodY + "}}", 400, "missing input: z"},
                {"/versions/7:predict", "{\"instances\":[1]}", 404, "Specific(tiny, 7)"},
                {":predict", "{\"instances\":[" + String.join(",", java.util.Collections.nCopies(65, "{\"z\":[0],\"y\":[0]}")) + "]}", 413, "limit"},
        };
        for (Object[] c : cases) {
            Reply r = post((String) c[0], (String) c[1]);
            assertThat(r.status()).as((String) c[1]).isEqualTo((int) c[2]);
            assertThat(r.json().get("error").asText()).as((String) c[1]).contains((String) c[3]);
        }
        var unknown = HTTP.send(HttpRequest.newBuilder(URI.create(url.replace("/tiny", "/other"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).contains("other");
        var huge = HTTP.send(HttpRequest.newBuilder(URI.create(url + ":predict"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"instances\":[" + "0,".repeat(600_000) + "0]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(get("").status()).isEqualTo(200);
    }

    @Test
    void theLoadBenchmarkCountsNoErrorsAndOnly4xxForMalformedRequests() throws Exception {
        var previous = System.out;
        var captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        int code;
        try {
            code = ServeBench.run(url, 60, 4, 12);
        } finally {
            System.setOut(previous);
        }
        assertThat(code).isZero();
        JsonNode report = JSON.readTree(captured.toString().strip());
        assertThat(report.get("errors").asInt()).isZero();
        assertThat(report.get("malformed_4xx").asInt()).isEqualTo(12);
        assertThat(report.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(report.get("p50_ms").asDouble());
    }

    @Test
    void newVersionsAreLoadedAndHalfWrittenOnesIgnored() throws Exception {
        Path temp = base.resolve(".2.tmp-12345");
        Fixtures.copyTree(base.resolve("1"), temp);
        Files.createDirectories(base.resolve("3")); // no saved_model.pb yet: an export in progress
        server.scan();
        assertThat(get("").json().get("model_version_status")).hasSize(1);
        AtomicFiles.moveIntoPlace(temp, base.resolve("2"));
        assertThat(server.scan()).anyMatch(line -> line.contains("version 2"));
        Reply status = get("");
        assertThat(status.json().get("model_version_status")).hasSize(2);
        assertThat(get("/metadata").json().at("/model_spec/version").asText()).isEqualTo("2");
        AtomicFiles.deleteTree(base.resolve("2"));
        server.scan();
        assertThat(get("").json().get("model_version_status")).hasSize(1);
    }

}
