package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.facegan.io.AtomicFiles;
import org.facegan.serve.BatchingParameters;
import org.facegan.serve.RestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code facegan serve} with batching (issue 21): concurrent requests merge into one run and each answer equals the
 * unbatched server's bit for bit; a malformed request in a burst gets its own 400; a full queue answers 503 at once;
 * a lone request runs when its batch times out; a request over max_batch_size is refused as TF Serving refuses it.
 *
 * <p>Batches close deterministically here: a long batch_timeout_micros and bursts of exactly max_batch_size rows, so
 * that a batch runs when it is full. One thread in a test waits for an answer at most {@link #WAIT}.
 *
 * <p>Bit for bit holds for single rows too, although TensorFlow's CPU MatMul sums a single row in another order than a
 * matrix: facegan's exports pad their dense layers' products with a row (see Dense), and for other bundles the server
 * runs a lone row as two (see Predict.run); {@link #aRowGetsTheSameBitsAloneAndInABatch} checks both.
 */
class ServeBatchingTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final int Z = 16, Y = 10, S = 32;
    /** Long enough that, in these tests, a batch runs because it is full, never because it timed out. */
    static final long NEVER_MICROS = 30_000_000;

    @TempDir
    static Path tmp;
    static Path base;
    /** The same export served without batching: the reference answers. */
    static RestServer plain;
    /** The same checkpoint exported with {@code --conv matmul}, served without batching. */
    static RestServer plainMatmul;
    static Path matmulBase;
    /**
     * The direct export with its provenance's rowsIndependentOfBatch removed, as a bundle from elsewhere (or from before
     * row-stable dense layers) has it: the server then runs a lone row as two.
     */
    static RestServer plainUnmarked;

    @BeforeAll
    static void exportAndServe() throws Exception {
        Path model = Files.writeString(tmp.resolve("tiny.json"), CliTest.TINY_MODEL);
        base = tmp.resolve("export/tiny");
        // with G's hidden layer at full resolution and its skip, as the default faces32 has them
        var train = CliTest.run("train", "--data", "synthetic:64", "--model", model.toString(), "--g-top", "4",
                "--g-skip", "on", "--steps", "2", "--batch", "8", "--run", tmp.resolve("run").toString(),
                "--export", base.toString());
        assertThat(train.code()).as(train.err()).isZero();
        plain = new RestServer(Map.of("tiny", base), "127.0.0.1", 0, 64, 16L << 20, 3600, line -> {});
        matmulBase = tmp.resolve("export-matmul/tiny");
        var export = CliTest.run("export", "--run", tmp.resolve("run").toString(), "--out", matmulBase.toString(),
                "--conv", "matmul");
        assertThat(export.code()).as(export.err()).isZero();
        plainMatmul = new RestServer(Map.of("tiny", matmulBase), "127.0.0.1", 0, 64, 16L << 20, 3600, line -> {});
        Path unmarked = tmp.resolve("export-unmarked/tiny/1");
        try (var files = Files.walk(base.resolve("1"))) {
            for (Path f : files.toList()) {
                Path to = unmarked.resolve(base.resolve("1").relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        Path provenance = unmarked.resolve(org.facegan.export.RunExporter.PROVENANCE);
        var p = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(provenance.toFile());
        assertThat(p.remove(org.facegan.export.RunExporter.ROWS_INDEPENDENT_OF_BATCH).asBoolean()).isTrue();
        Files.writeString(provenance, JSON.writeValueAsString(p));
        plainUnmarked = new RestServer(Map.of("tiny", unmarked.getParent()), "127.0.0.1", 0, 64, 16L << 20, 3600, line -> {});
    }

    @AfterAll
    static void stop() {
        if (plain != null) plain.close();
        if (plainMatmul != null) plainMatmul.close();
        if (plainUnmarked != null) plainUnmarked.close();
    }

    static RestServer batching(Path modelBase, BatchingParameters p) {
        return new RestServer(Map.of("tiny", modelBase), "127.0.0.1", 0, 64, 16L << 20, 3600, p, line -> {});
    }

    static String url(RestServer server) {
        return "http://127.0.0.1:" + server.port() + "/v1/models/tiny";
    }

    record Reply(int status, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    static Reply post(RestServer server, String path, String body) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(url(server) + path)).timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    static JsonNode stats(RestServer server) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/facegan/models/tiny/batching"))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Sends the bodies at once, one thread each; the replies in the same order. */
    static List<Reply> burst(RestServer server, String path, List<String> bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
        try {
            List<Future<Reply>> sent = new ArrayList<>();
            for (String b : bodies) sent.add(pool.submit(() -> post(server, path, b)));
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> f : sent) replies.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits (at most WAIT) until the server holds {@code n} requests in its queues. */
    static void awaitQueued(RestServer server, int n) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (stats(server).get("queued_requests").asInt() != n) {
            assertThat(System.nanoTime()).as("requests queued").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    // request bodies: rows of random z and one-hot y, random images in [-1, 1)

    static String list(SplittableRandom r, int n, boolean gaussian) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append(gaussian ? (float) r.nextGaussian() : (float) (2 * r.nextDouble() - 1));
        return b.append(']').toString();
    }

    static String y(SplittableRandom r) {
        int hot = r.nextInt(Y);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Y; i++) b.append(i == 0 ? "" : ",").append(i == hot ? 1 : 0);
        return b.append(']').toString();
    }

    static String image(SplittableRandom r) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < S; i++) {
            b.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < S; j++) b.append(j == 0 ? "" : ",").append(list(r, 3, false));
            b.append(']');
        }
        return b.append(']').toString();
    }

    /** One instance of {@code signature}'s inputs, as an object. */
    static String instance(String signature, SplittableRandom r) {
        if (signature.equals("encode")) return "{\"images\":" + image(r) + "}";
        return signature.equals("discriminate") ? "{\"images\":" + image(r) + ",\"y\":" + y(r) + "}"
                : "{\"z\":" + list(r, Z, true) + ",\"y\":" + y(r) + "}";
    }

    static String rows(String signature, List<String> instances) {
        return "{\"signature_name\":\"" + signature + "\",\"instances\":[" + String.join(",", instances) + "]}";
    }

    /** The batched answer is the unbatched server's answer to the same request. */
    static void assertEqualsUnbatched(String signature, List<String> instances, Reply batched) throws Exception {
        assertThat(batched.status()).as(batched.body()).isEqualTo(200);
        assertThat(batched.json().get("predictions")).hasSize(instances.size());
        assertSameJson("a request of " + instances.size() + " rows", batched.body(),
                post(plain, ":predict", rows(signature, instances)).body());
    }

    /**
     * Equal JSON with the keys sorted: the same floats (each written as the shortest decimal that reads back as it).
     * Keys are sorted because two loads of one SavedModel may list a signature's outputs in different orders
     * (TensorFlow hands the signature defs over through a protobuf map, whose order C++ does not fix).
     */
    static void assertSameJson(String what, String actual, String expected) throws Exception {
        String a = SORTED.writeValueAsString(JSON.readTree(actual)), e = SORTED.writeValueAsString(JSON.readTree(expected));
        if (a.equals(e)) return;
        int i = 0;
        while (i < Math.min(a.length(), e.length()) && a.charAt(i) == e.charAt(i)) i++;
        throw new AssertionError(what + ": differs from the unbatched answer at character " + i + " of " + e.length()
                + ": ..." + a.substring(Math.max(0, i - 40), Math.min(a.length(), i + 40)) + "... instead of ..."
                + e.substring(Math.max(0, i - 40), Math.min(e.length(), i + 40)) + "...");
    }

    static final ObjectMapper SORTED = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    @Test
    void concurrentRequestsMergeIntoOneRunAndEachAnswerEqualsTheUnbatchedOne() throws Exception {
        try (RestServer server = batching(base, new BatchingParameters(8, NEVER_MICROS, 1, 10))) {
            SplittableRandom r = new SplittableRandom(21);
            for (String signature : List.of("serving_default", "discriminate", "generate_png")) {
                // 8 rows in 6 requests: four of one row, one of two and one of two in the columnar format
                List<List<String>> requests = new ArrayList<>();
                for (int size : new int[] {1, 2, 1, 1, 2, 1}) {
                    List<String> instances = new ArrayList<>();
                    for (int i = 0; i < size; i++) instances.add(instance(signature, r));
                    requests.add(instances);
                }
                List<String> bodies = new ArrayList<>();
                for (List<String> instances : requests) bodies.add(rows(signature, instances));
                List<String> columnar = requests.get(4);
                String z = "[" + columnar.stream().map(i -> i.replaceAll(".*\"z\":(\\[[^\\]]*\\]).*", "$1")).reduce((a, b) -> a + "," + b).orElseThrow() + "]";
                String y = "[" + columnar.stream().map(i -> i.replaceAll(".*\"y\":(\\[[^\\]]*\\]).*", "$1")).reduce((a, b) -> a + "," + b).orElseThrow() + "]";
                if (!signature.equals("discriminate")) {
                    bodies.set(4, "{\"signature_name\":\"" + signature + "\",\"inputs\":{\"z\":" + z + ",\"y\":" + y + "}}");
                }

                long before = stats(server).get("batches").asLong();
                List<Reply> replies = burst(server, ":predict", bodies);
                assertThat(stats(server).get("batches").asLong() - before).as(signature + ": batches for 6 requests").isEqualTo(1);
                for (int i = 0; i < requests.size(); i++) {
                    if (i == 4 && !signature.equals("discriminate")) {
                        assertSameJson(signature + ", columnar", replies.get(i).body(), post(plain, ":predict", bodies.get(4)).body());
                    } else {
                        assertEqualsUnbatched(signature, requests.get(i), replies.get(i));
                    }
                }
            }
            JsonNode stats = stats(server);
            assertThat(stats.get("requests").asLong()).isEqualTo(18);
            assertThat(stats.get("rows").asLong()).isEqualTo(24);
            assertThat(stats.get("mean_batch_size").asDouble()).isEqualTo(8.0);
        }
    }

    @Test
    void aRowGetsTheSameBitsAloneAndInABatch() throws Exception {
        SplittableRandom r = new SplittableRandom(23);
        for (RestServer server : List.of(plain, plainMatmul, plainUnmarked)) {
            String bundle = server == plain ? "direct ops" : server == plainMatmul ? "--conv matmul" : "unmarked, padded";
            for (String signature : List.of("serving_default", "encode", "discriminate", "generate_png")) {
                List<String> instances = new ArrayList<>();
                for (int i = 0; i < 4; i++) instances.add(instance(signature, r));
                JsonNode together = post(server, ":predict", rows(signature, instances)).json().get("predictions");
                for (int i = 0; i < instances.size(); i++) {
                    Reply alone = post(server, ":predict", rows(signature, List.of(instances.get(i))));
                    assertThat(alone.status()).as(alone.body()).isEqualTo(200);
                    assertSameJson(bundle + ", " + signature + ", row " + i + " alone", alone.json().at("/predictions/0").toString(),
                            together.get(i).toString());
                }
            }
        }
    }

    /**
     * export --conv builds the same function in other ops: its faces are the direct bundle's within the rounding of
     * sums taken in another order (the largest: a transposed convolution's k·k·C_in terms, here at most 4·4·64), and
     * its provenance names the form.
     */
    @Test
    void aBundleExportedInAnotherConvFormDrawsTheSameFaces() throws Exception {
        SplittableRandom r = new SplittableRandom(29);
        List<String> instances = new ArrayList<>();
        for (int i = 0; i < 4; i++) instances.add(instance("serving_default", r));
        JsonNode direct = post(plain, ":predict", rows("serving_default", instances)).json().get("predictions");
        JsonNode matmul = post(plainMatmul, ":predict", rows("serving_default", instances)).json().get("predictions");
        float[] d = ServeTest.flat(direct), m = ServeTest.flat(matmul);
        org.facegan.testing.FloatArrays.assertCloseAfterReordering("--conv matmul's faces", d, m, 4 * 4 * 64);
        assertThat(m).isNotEqualTo(d); // other ops: were they equal, the test would not know the form was used
        JsonNode provenance = JSON.readTree(matmulBase.resolve("1").resolve(org.facegan.export.RunExporter.PROVENANCE).toFile());
        assertThat(provenance.get("conv").asText()).isEqualTo("matmul");
        JsonNode directProvenance = JSON.readTree(base.resolve("1").resolve(org.facegan.export.RunExporter.PROVENANCE).toFile());
        assertThat(directProvenance.get("conv").asText()).isEqualTo("direct");
    }

    @Test
    void aMalformedRequestInABurstGetsItsOwn400AndTheOthers200() throws Exception {
        try (RestServer server = batching(base, new BatchingParameters(6, NEVER_MICROS, 1, 10))) {
            SplittableRandom r = new SplittableRandom(22);
            List<String> good = new ArrayList<>();
            for (int i = 0; i < 6; i++) good.add(instance("serving_default", r));
            List<String> bodies = new ArrayList<>();
            for (String instance : good) bodies.add(rows("serving_default", List.of(instance)));
            bodies.add(2, "{\"instances\":[{\"z\":" + list(r, Z + 1, true) + ",\"y\":" + y(r) + "}]}"); // z too long
            bodies.add(5, "{\"instances\":[{\"z\":[\"a\"" + ",0".repeat(Z - 1) + "],\"y\":" + y(r) + "}]}"); // not a number
            List<Reply> replies = burst(server, ":predict", bodies);
            assertThat(replies.get(2).status()).isEqualTo(400);
            assertThat(replies.get(2).json().get("error").asText()).contains("shape");
            assertThat(replies.get(5).status()).isEqualTo(400);
            assertThat(replies.get(5).json().get("error").asText()).contains("expected a number");
            List<Reply> rest = new ArrayList<>(replies);
            rest.remove(5);
            rest.remove(2);
            for (int i = 0; i < good.size(); i++) assertEqualsUnbatched("serving_default", List.of(good.get(i)), rest.get(i));
            assertThat(stats(server).get("batches").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aFullQueueAnswers503AtOnceAndTheQueuedRequestsAreStillAnswered() throws Exception {
        // one batch of at most 2 rows may wait; one request of 1 row waits in it, so one of 2 rows does not fit
        try (RestServer server = batching(base, new BatchingParameters(2, NEVER_MICROS, 1, 1))) {
            SplittableRandom r = new SplittableRandom(23);
            String first = instance("serving_default", r), last = instance("serving_default", r);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Reply> waiting = pool.submit(() -> post(server, ":predict", rows("serving_default", List.of(first))));
                awaitQueued(server, 1);
                long started = System.nanoTime();
                Reply full = post(server, ":predict", rows("serving_default", List.of(instance("serving_default", r), instance("serving_default", r))));
                assertThat(full.status()).isEqualTo(503);
                assertThat(full.json().get("error").asText()).isEqualTo("The batch scheduling queue to which this task was submitted is full");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once").isLessThan(Duration.ofSeconds(10));
                assertThat(waiting.isDone()).isFalse();
                Reply second = post(server, ":predict", rows("serving_default", List.of(last))); // fills the batch: it runs
                assertEqualsUnbatched("serving_default", List.of(last), second);
                assertEqualsUnbatched("serving_default", List.of(first), waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
            assertThat(stats(server).get("batches").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aLoneRequestRunsWhenItsBatchTimesOutAndOneOverMaxBatchSizeIsRefused() throws Exception {
        long timeoutMicros = 300_000;
        try (RestServer server = batching(base, new BatchingParameters(4, timeoutMicros, 2, 10))) {
            SplittableRandom r = new SplittableRandom(24);
            String lone = rows("serving_default", List.of(instance("serving_default", r)));
            long started = System.nanoTime();
            Reply reply = post(server, ":predict", lone);
            long micros = (System.nanoTime() - started) / 1000;
            assertThat(reply.status()).isEqualTo(200);
            assertThat(micros).as("it waited for company first").isGreaterThanOrEqualTo(timeoutMicros);
            assertSameJson("a batch of one row runs as the unbatched request does", reply.body(), post(plain, ":predict", lone).body());
            JsonNode stats = stats(server);
            assertThat(stats.get("batches").asLong()).isEqualTo(1);
            assertThat(stats.get("rows").asLong()).isEqualTo(1);

            List<String> five = new ArrayList<>();
            for (int i = 0; i < 5; i++) five.add(instance("serving_default", r));
            Reply tooLarge = post(server, ":predict", rows("serving_default", five));
            assertThat(tooLarge.status()).isEqualTo(400);
            assertThat(tooLarge.json().get("error").asText()).isEqualTo("Task size 5 is larger than maximum batch size 4");
            assertEqualsUnbatched("serving_default", five.subList(0, 4), post(server, ":predict", rows("serving_default", five.subList(0, 4))));
            assertThat(stats(server).get("batches").asLong()).isEqualTo(2);
        }
    }

    @Test
    void aVersionRetiredWhileRequestsWaitInItsQueueAnswersThemBeforeItCloses() throws Exception {
        Path churn = Files.createDirectories(tmp.resolve("churn"));
        copyTree(base.resolve("1"), churn.resolve("1"));
        copyTree(base.resolve("1"), churn.resolve("2"));
        try (RestServer server = batching(churn, new BatchingParameters(8, 3_000_000, 1, 10))) {
            String lone = rows("serving_default", List.of(instance("serving_default", new SplittableRandom(25))));
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Reply> waiting = pool.submit(() -> post(server, "/versions/1:predict", lone));
                awaitQueued(server, 1);
                AtomicFiles.deleteTree(churn.resolve("1"));
                assertThat(server.scan()).containsExactly("unloaded tiny version 1");
                assertThat(waiting.isDone()).as("still waiting for its batch's timeout").isFalse();
                Reply reply = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertSameJson("the retired version's answer", reply.body(), post(plain, ":predict", lone).body());
            } finally {
                pool.shutdownNow();
            }
            assertThat(post(server, "/versions/1:predict", lone).status()).isEqualTo(404);
        }
    }

    @Test
    void theLoadBenchmarkReportsTheMeanBatchSize() throws Exception {
        try (RestServer server = batching(base, BatchingParameters.defaults())) {
            var previous = System.out;
            var captured = new java.io.ByteArrayOutputStream();
            System.setOut(new java.io.PrintStream(captured, true));
            int code;
            try {
                code = ServeBench.run(url(server), 60, 4, 6);
            } finally {
                System.setOut(previous);
            }
            assertThat(code).isZero();
            JsonNode report = JSON.readTree(captured.toString().strip());
            assertThat(report.get("errors").asInt()).isZero();
            assertThat(report.get("batches").asLong()).isBetween(1L, 60L);
            assertThat(report.get("mean_batch_size").asDouble()).isBetween(1.0, 4.0);
            assertThat(report.get("p90_ms").asDouble()).isBetween(report.get("p50_ms").asDouble(), report.get("p99_ms").asDouble());
        }
    }

    @Test
    void batchingParametersComeFromTfServingsTextFormatAndTheOptions() throws Exception {
        Path file = Files.writeString(tmp.resolve("batching.config"), """
                # as for TF Serving's --batching_parameters_file
                max_batch_size { value: 64 }
                batch_timeout_micros: { value: 2000 }  # the colon is optional
                num_batch_threads < value: 2 >
                """);
        BatchingParameters read = BatchingParameters.read(file, BatchingParameters.defaults());
        assertThat(read).isEqualTo(new BatchingParameters(64, 2000, 2, BatchingParameters.MAX_ENQUEUED_BATCHES_DEFAULT));

        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--model-base", "x", "--batching-parameters", file.toString(), "--max_batch_size", "16",
                "--max_enqueued_batches", "3");
        assertThat(serve.batchingParameters()).isEqualTo(new BatchingParameters(16, 2000, 2, 3));
        ServeCommand off = new ServeCommand();
        new CommandLine(off).parseArgs("--model-base", "x", "--no-batching");
        assertThat(off.batchingParameters()).isNull();
        for (String[] args : new String[][] {{"--model-base", "x"}, {"--model-base", "x", "--batching"}}) {
            ServeCommand on = new ServeCommand();
            new CommandLine(on).parseArgs(args);
            assertThat(on.batchingParameters()).as(String.join(" ", args)).isEqualTo(BatchingParameters.defaults());
        }
        ServeCommand larger = new ServeCommand();
        new CommandLine(larger).parseArgs("--model-base", "x", "--max-batch", "4096");
        assertThat(larger.batchingParameters().maxBatchSize()).as("max_batch_size follows --max-batch").isEqualTo(4096);

        Path unknown = Files.writeString(tmp.resolve("unknown.config"), "max_batch_size { value: 64 }\nallowed_batch_sizes: 8\n");
        var refused = CliTest.run("serve", "--model-base", base.toString(), "--port", "0", "--batching-parameters", unknown.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err().strip()).doesNotContain("\n")
                .isEqualTo("facegan serve: error: batching parameters " + unknown + ":2: unknown field allowed_batch_sizes"
                        + " (facegan serve takes max_batch_size, batch_timeout_micros, num_batch_threads, max_enqueued_batches)");
        Path zero = Files.writeString(tmp.resolve("zero.config"), "num_batch_threads { value: 0 }");
        assertThat(CliTest.run("serve", "--model-base", base.toString(), "--port", "0", "--batching-parameters", zero.toString()).err())
                .contains(zero.toString()).contains("num_batch_threads must be in [1, 256], found 0");
        var contradictory = CliTest.run("serve", "--model-base", base.toString(), "--port", "0", "--no-batching", "--max_batch_size", "8");
        assertThat(contradictory.code()).isEqualTo(2);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
