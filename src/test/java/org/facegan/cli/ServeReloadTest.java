package org.facegan.cli;

import org.facegan.testing.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.facegan.io.AtomicFiles;
import org.facegan.serve.RestServer;
import org.facegan.export.WarmupRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code facegan serve} while versions come and go on disk (issue 22): four clients predict batches of 32 in a loop
 * while a new version appears and takes the traffic, the newest is rolled back, a version replaces its predecessor
 * (deleted right after the new one appears) and a version loses its files while it loads. Every valid request must
 * be answered 2xx; the only other answer allowed is 404 for a version the test deleted and then asked for by number.
 */
class ServeReloadTest {
    static final int CLIENTS = 4, BATCH = 32, MAX_ROUNDS = 8;
    static final Duration CHURN = Duration.ofSeconds(12), SETTLE = Duration.ofMillis(300);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path tmp;
    /** Version 1 of a freshly trained tiny model, copied in as each new version. */
    static Path template;
    static double trainSeconds;
    Path base;
    String url;
    RestServer server;
    final List<String> log = new CopyOnWriteArrayList<>();
    /** Versions the test deleted (marked before the files go): a 404 for one of these, asked by number, is right. */
    final Set<Long> gone = ConcurrentHashMap.newKeySet();
    /** The versions the server listed at the last check: what clients ask for by number. */
    volatile long[] served = {1};
    final List<String> failures = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> tally = new ConcurrentHashMap<>();

    @BeforeAll
    static void trainAndExport() throws Exception {
        long started = System.nanoTime();
        Path model = Files.writeString(tmp.resolve("tiny.json"), CliTest.TINY_MODEL);
        Path exported = tmp.resolve("exported");
        var train = CliTest.run("train", "--data", "synthetic:64", "--model", model.toString(), "--steps", "2",
                "--batch", "8", "--run", tmp.resolve("run").toString(), "--export", exported.toString());
        assertThat(train.code()).as(train.err()).isZero();
        template = exported.resolve("1");
        trainSeconds = (System.nanoTime() - started) / 1e9;
    }

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    /** Serves a new base path holding version 1, polled every {@code pollSeconds}; the test also scans itself. */
    private void serve(String name, int pollSeconds) throws Exception {
        base = Files.createDirectories(tmp.resolve(name));
        appear(1);
        server = new RestServer(Map.of("tiny", base), "127.0.0.1", 0, 64, 16L << 20, pollSeconds, log::add);
        url = "http://127.0.0.1:" + server.port() + "/v1/models/tiny";
    }

    @Test
    void olderExportsAreCheckedWithAGeneratedRequestAndBrokenOnesNeverServed() throws Exception {
        serve("older-exports", 3600);
        remove(1);
        appearWithout(2, WarmupRequests.FILE); // exported before facegan wrote one
        assertThat(server.scan()).containsExactly("loaded tiny version 2 from " + base.resolve("2"), "unloaded tiny version 1");
        appearWithout(3, WarmupRequests.FILE, "variables");
        Path damaged = Files.createDirectories(base.resolve(".v4.tmp"));
        Fixtures.copyTree(template, damaged);
        Files.write(damaged.resolve(WarmupRequests.FILE), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        AtomicFiles.moveIntoPlace(damaged, base.resolve("4"));
        List<String> lines = server.scan();
        assertThat(lines).hasSize(2).allMatch(l -> l.contains("is not served"));
        assertThat(lines.get(0)).startsWith("version 4 of tiny is not served: cannot read warm-up requests: ")
                .contains(base.resolve("4").resolve(WarmupRequests.FILE).toString());
        assertThat(lines.get(1)).startsWith("version 3 of tiny is not served: warm-up request 1 of 4 (signature discriminate) failed: ")
                .contains("uninitialized value");
        assertThat(server.scan()).as("a version that failed is not tried again while it is on disk").isEmpty();
        assertThat(latest()).isEqualTo(2);
        assertThat(send("POST", ":predict", body(new SplittableRandom(1))).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/versions/3:predict", body(new SplittableRandom(1))).statusCode()).isEqualTo(404);

        // the only loaded version is deleted as a broken one appears: like TF Serving, keep answering with it
        remove(2);
        appearWithoutVariables(5);
        assertThat(server.scan()).singleElement().asString().startsWith("version 5 of tiny is not served: ");
        assertThat(send("POST", ":predict", body(new SplittableRandom(1))).statusCode()).isEqualTo(200);
        for (long v = 3; v <= 5; v++) remove(v);
        assertThat(server.scan()).containsExactly("unloaded tiny version 2");
    }

    @Test
    void everyValidRequestIsAnsweredWhileVersionsComeAndGo() throws Exception {
        serve("churn", 1);
        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean stop = new AtomicBoolean();
        int rounds = 0;
        try {
            for (int c = 0; c < CLIENTS; c++) {
                long seed = c;
                clients.submit(() -> predictUntil(stop, seed));
            }
            long deadline = System.nanoTime() + CHURN.toNanos();
            long previous = 1, next = 2;
            while (rounds < MAX_ROUNDS && System.nanoTime() < deadline) {
                rounds++;
                // a new version appears and takes the traffic; then it is rolled back (deleted)
                long rolledBack = next++;
                appear(rolledBack);
                scanAndExpectLatest(rolledBack, "new version " + rolledBack);
                remove(rolledBack);
                scanAndExpectLatest(previous, "rollback of " + rolledBack);
                // a new version replaces its predecessor, deleted right after the new one appears
                long replacement = next++;
                appear(replacement);
                remove(previous);
                scanAndExpectLatest(replacement, "replacing " + previous);
                previous = replacement;
                // a version whose variables vanish while it loads is never served; the previous one stays
                long broken = next++;
                appearWithoutVariables(broken);
                scanAndExpectLatest(previous, "broken version " + broken);
                remove(broken);
            }
        } finally {
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).as("clients stopped").isTrue();
        }
        long churned = System.nanoTime();

        // still up: it answers, and its own poller (no explicit scan) still picks up a new version
        assertThat(send("GET", "", null).statusCode()).isEqualTo(200);
        long last = 1000;
        appear(last);
        boolean polled = false;
        for (int i = 0; i < 50 && !polled; i++) {
            Thread.sleep(100);
            polled = latest() == last;
        }
        HttpResponse<String> after = send("POST", ":predict", body(new SplittableRandom(9)));
        System.out.printf("ServeReloadTest: %d rounds, answers %s, %d failures; train+export %.1f s, churn %.1f s%n",
                rounds, new TreeMap<>(tally), failures.size(), trainSeconds, (churned - started) / 1e9);
        failures.stream().limit(20).forEach(f -> System.out.println("  " + f));
        log.forEach(l -> System.out.println("  serve: " + l));

        assertThat(polled).as("the poller loaded version %d within 5 s", last).isTrue();
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(tally.getOrDefault("2xx", new AtomicInteger()).get()).as("answered requests").isGreaterThan(20);
        assertThat(failures).as("answers other than 2xx (or 404 for a deleted version)").isEmpty();
        assertThat(log).anyMatch(l -> l.contains("version 4") && l.contains("not served"));
    }

    private void predictUntil(AtomicBoolean stop, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        // generate (small request, large answer) and discriminate (large request, small answer): the server parses
        // a request after it has looked up the version, so a large one keeps a version in use for longer
        String[] bodies = {body(random), discriminateBody(random)};
        for (long n = 0; !stop.get(); n++) {
            String body = bodies[(int) (n % 2)];
            long[] versions = served;
            // one request in four names a version the server listed; the rest ask for the latest
            long version = random.nextInt(4) == 0 ? versions[random.nextInt(versions.length)] : 0;
            String path = version == 0 ? ":predict" : "/versions/" + version + ":predict";
            try {
                HttpResponse<String> r = send("POST", path, body);
                if (r.statusCode() / 100 == 2 && r.body().startsWith("{\"predictions\":")) {
                    count("2xx");
                } else if (r.statusCode() == 404 && version != 0 && gone.contains(version)) {
                    count("404 deleted version");
                } else {
                    count(Integer.toString(r.statusCode()));
                    failures.add(r.statusCode() + " " + path + " " + r.body().substring(0, Math.min(200, r.body().length())));
                }
            } catch (Exception e) {
                count("no answer");
                failures.add(path + " " + e);
            }
        }
    }

    private void count(String key) {
        tally.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    /** {"signature_name": "discriminate", "instances": [{"images": [32][32][3], "y": [10]} x 32]}. */
    private static String discriminateBody(SplittableRandom random) {
        StringBuilder b = new StringBuilder("{\"signature_name\":\"discriminate\",\"instances\":[");
        for (int i = 0; i < BATCH; i++) {
            b.append(i == 0 ? "{\"images\":[" : ",{\"images\":[");
            for (int row = 0; row < ServeTest.S; row++) {
                b.append(row == 0 ? "[" : ",[");
                for (int col = 0; col < ServeTest.S; col++) {
                    b.append(col == 0 ? "[" : ",[").append((float) random.nextDouble(-1, 1)).append(',')
                            .append((float) random.nextDouble(-1, 1)).append(',').append((float) random.nextDouble(-1, 1)).append(']');
                }
                b.append(']');
            }
            b.append("],\"y\":[");
            for (int j = 0; j < ServeTest.Y; j++) b.append(j == 0 ? "" : ",").append(random.nextInt(2));
            b.append("]}");
        }
        return b.append("]}").toString();
    }

    /** {"instances": [{"z": [16], "y": [10]} x 32]}: a valid request for the tiny model. */
    private static String body(SplittableRandom random) {
        StringBuilder b = new StringBuilder("{\"instances\":[");
        for (int i = 0; i < BATCH; i++) {
            b.append(i == 0 ? "{\"z\":[" : ",{\"z\":[");
            for (int j = 0; j < ServeTest.Z; j++) b.append(j == 0 ? "" : ",").append((float) random.nextGaussian());
            b.append("],\"y\":[");
            for (int j = 0; j < ServeTest.Y; j++) b.append(j == 0 ? "" : ",").append(random.nextInt(2));
            b.append("]}");
        }
        return b.append("]}").toString();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The version answering unversioned requests, from the metadata endpoint (-1 when none answers). */
    private long latest() throws Exception {
        HttpResponse<String> r = send("GET", "/metadata", null);
        return r.statusCode() == 200 ? ServeTest.JSON.readTree(r.body()).at("/model_spec/version").asLong() : -1;
    }

    /** Scans now (as the poller would), lets the clients run on the result and records a wrong latest version. */
    private void scanAndExpectLatest(long want, String what) throws Exception {
        log.addAll(server.scan());
        Thread.sleep(SETTLE.toMillis());
        long got = latest();
        if (got != want) failures.add(what + ": latest version is " + got + ", expected " + want);
        JsonNode status = ServeTest.JSON.readTree(send("GET", "", null).body()).get("model_version_status");
        List<Long> listed = new ArrayList<>();
        if (status != null) status.forEach(s -> listed.add(s.get("version").asLong()));
        if (!listed.isEmpty()) served = listed.stream().mapToLong(Long::longValue).toArray();
    }

    /** A complete copy of version 1 renamed into place as {@code version}, as facegan export does. */
    private void appear(long version) throws Exception {
        Path temp = base.resolve(".v" + version + ".tmp");
        Fixtures.copyTree(template, temp);
        AtomicFiles.moveIntoPlace(temp, base.resolve(Long.toString(version)));
    }

    /**
     * A version whose variables vanished while it loaded. The files go before the rename, not after, so that the
     * poller cannot load the complete version first: to TensorFlow's loader both look the same (saved_model.pb with
     * no variables index, which it skips restoring without an error).
     */
    private void appearWithoutVariables(long version) throws Exception {
        appearWithout(version, "variables");
    }

    /** A copy of version 1 without the given parts (relative paths), renamed into place as {@code version}. */
    private void appearWithout(long version, String... parts) throws Exception {
        Path temp = base.resolve(".v" + version + ".tmp");
        Fixtures.copyTree(template, temp);
        for (String part : parts) AtomicFiles.deleteTree(temp.resolve(part));
        AtomicFiles.moveIntoPlace(temp, base.resolve(Long.toString(version)));
    }

    private void remove(long version) throws Exception {
        gone.add(version);
        AtomicFiles.deleteTree(base.resolve(Long.toString(version)));
    }

}
