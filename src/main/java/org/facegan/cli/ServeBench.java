package org.facegan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.facegan.train.RunDirectory;

/**
 * {@code facegan bench serve URL}: load on a model server speaking TF Serving's REST API (facegan serve or TF
 * Serving itself): {@code requests} predict calls of one face each from {@code clients} concurrent clients, then
 * {@code malformed} bad requests; prints throughput, latency percentiles (p50, p90, p99) and error counts as one JSON
 * line. Against facegan serve with batching, it also reports the batches the server formed during the load and their
 * mean size in rows, from {@code /facegan/models/NAME/batching} (null where the server has no such page or batching
 * is off).
 */
final class ServeBench {
    private ServeBench() {}

    /** @param model e.g. http://127.0.0.1:8501/v1/models/faces32-synthetic */
    static int run(String model, int requests, int clients, int malformed) throws Exception {
        // one kept-alive connection per client (the JDK's default keeps 5 per host and reconnects the others each time)
        System.setProperty("http.maxConnections", Integer.toString(Math.max(5, clients)));
        JsonNode inputs = RunDirectory.JSON.readTree(send(URI.create(model + "/metadata").toURL(), null, true).body())
                .at("/metadata/signature_def/signature_def/serving_default/inputs");
        if (inputs.isMissingNode()) throw new IllegalArgumentException("URL " + model + ": no serving_default signature in its metadata (expected a model's REST address, e.g. http://127.0.0.1:8501/v1/models/NAME)");
        int z = inputs.at("/z/tensor_shape/dim/1/size").asInt(), y = inputs.at("/y/tensor_shape/dim/1/size").asInt();
        URL predict = URI.create(model + ":predict").toURL();
        URL batchingUrl = URI.create(model.replaceFirst("/v1/models/", "/facegan/models/") + "/batching").toURL();
        JsonNode batchingBefore = batching(batchingUrl);

        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger(), errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            done.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(client);
                for (int i; (i = next.getAndIncrement()) < requests; ) {
                    String body = body(random, z, y);
                    long start = System.nanoTime();
                    try {
                        if (send(predict, body, false).status() != 200) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - start;
                }
                return null;
            }));
        }
        for (Future<?> f : done) f.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode batchingAfter = batching(batchingUrl);

        String[] bad = {"{not json", "[]", "{}", "{\"instances\":[{\"z\":[1],\"y\":[1]}]}",
                "{\"signature_name\":\"nope\",\"instances\":[1]}", "{\"inputs\":{\"z\":[[\"x\"]],\"y\":[[0]]}}"};
        int fourXx = 0, other = 0;
        for (int i = 0; i < malformed; i++) {
            int status = send(predict, bad[i % bad.length], false).status();
            if (status >= 400 && status < 500) fourXx++;
            else other++;
        }
        pool.shutdown();
        Arrays.sort(latencies);
        ObjectNode out = RunDirectory.JSON.createObjectNode();
        out.put("requests", requests).put("clients", clients).put("seconds", Math.round(seconds * 100) / 100.0)
                .put("requests_per_s", Math.round(requests / seconds)).put("p50_ms", latencies[requests / 2] / 1e6)
                .put("p90_ms", latencies[(int) (requests * 0.90)] / 1e6)
                .put("p99_ms", latencies[(int) (requests * 0.99)] / 1e6).put("errors", errors.get())
                .put("malformed", malformed).put("malformed_4xx", fourXx).put("malformed_other", other);
        if (batchingBefore != null && batchingAfter != null) {
            long batches = batchingAfter.get("batches").asLong() - batchingBefore.get("batches").asLong();
            long rows = batchingAfter.get("rows").asLong() - batchingBefore.get("rows").asLong();
            out.put("batches", batches).put("mean_batch_size", batches == 0 ? 0 : Math.round(100.0 * rows / batches) / 100.0);
        } else {
            out.putNull("batches").putNull("mean_batch_size");
        }
        System.out.println(RunDirectory.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(out));
        return errors.get() == 0 && other == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** The server's batching counts, or null when it has none (TF Serving, or facegan serve --no-batching). */
    private static JsonNode batching(URL url) {
        try {
            Reply r = send(url, null, true);
            if (r.status() != 200) return null;
            JsonNode json = RunDirectory.JSON.readTree(r.body());
            return json.path("enabled").asBoolean() && json.has("batches") && json.has("rows") ? json : null;
        } catch (Exception e) {
            return null;
        }
    }

    private record Reply(int status, String body) {}

    /**
     * GETs {@code url} ({@code json} null) or POSTs {@code json} to it, on a kept-alive connection (HTTP/1.1, as TF
     * Serving's REST clients speak it), and reads the answer in full: kept when {@code keepBody}, else dropped
     * undecoded. Through the JDK's blocking HttpURLConnection, which took 1.4-1.5 ms of CPU a predict request where
     * its asynchronous HttpClient took about 2 (AMD EPYC, 32 clients): the load tester shares the server's cores, so
     * what it spends the server loses.
     */
    private static Reply send(URL url, String json, boolean keepBody) throws IOException {
        var c = (HttpURLConnection) url.openConnection();
        if (json != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (var out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            if (in == null) return new Reply(status, "");
            if (keepBody) return new Reply(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            in.transferTo(OutputStream.nullOutputStream());
            return new Reply(status, null);
        }
    }

    private static String body(SplittableRandom random, int z, int y) {
        StringBuilder b = new StringBuilder("{\"instances\":[{\"z\":[");
        for (int i = 0; i < z; i++) b.append(i == 0 ? "" : ",").append((float) random.nextGaussian());
        b.append("],\"y\":[");
        for (int i = 0; i < y; i++) b.append(i == 0 ? "" : ",").append(random.nextBoolean() ? 1 : 0);
        return b.append("]}]}").toString();
    }
}
