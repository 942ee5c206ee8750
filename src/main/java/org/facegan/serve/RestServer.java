package org.facegan.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TF Serving's REST API over the registry's models (https://www.tensorflow.org/tfx/serving/api_rest): model status,
 * metadata (signature defs) and predict, for the latest version or a given one; errors as {@code {"error": ...}}.
 * New version directories are picked up by a scan every {@code pollSeconds} and served once they pass their warm-up;
 * each request holds its version until its answer is computed, so a removed version closes only after the requests on
 * it ({@link ModelRegistry}). With batching parameters, concurrent predict requests on the same version and signature
 * are merged into batches as TF Serving's {@code --enable_batching} merges them ({@link BatchScheduler}). The web
 * editor is served at {@code /}.
 */
public final class RestServer implements AutoCloseable {
    public static final long DEFAULT_MAX_BODY_BYTES = 16L << 20;
    public static final int DEFAULT_MAX_BATCH = 1024;

    /** {@code NAME[/versions/V][/metadata]} or {@code NAME[/versions/V]:predict}, after /v1/models/. */
    private static final Pattern PATH = Pattern.compile("([^/:]+)(?:/versions/(\\d{1,18}))?(/metadata|:predict)?");

    private final ModelRegistry registry;
    private final Javalin app;
    private final ScheduledExecutorService scanner;
    private final int maxBatch;
    /** Null when requests are not batched. */
    private final BatchScheduler batcher;

    /** A server that runs each request on its own (no batching). */
    public RestServer(Map<String, java.nio.file.Path> bases, String host, int port, int maxBatch, long maxBodyBytes,
                      int pollSeconds, Consumer<String> log) {
        this(bases, host, port, maxBatch, maxBodyBytes, pollSeconds, null, log);
    }

    /** @param batching how to merge concurrent requests; null: each request runs on its own */
    public RestServer(Map<String, java.nio.file.Path> bases, String host, int port, int maxBatch, long maxBodyBytes,
                      int pollSeconds, BatchingParameters batching, Consumer<String> log) {
        this.registry = new ModelRegistry(bases);
        this.maxBatch = maxBatch;
        registry.scan().forEach(log);
        this.batcher = batching == null ? null : new BatchScheduler(batching, Predict::run, log);
        if (batching != null) {
            log.accept("batching: " + batching.asMap().toString().replaceAll("[{}]", "").replace('=', ' '));
        }
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = maxBodyBytes;
            config.staticFiles.add(web -> {
                web.hostedPath = "/";
                web.directory = "/web";
                web.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
        });
        app.get("/v1/models/<path>", this::get);
        // facegan's own additions for the editor (TF Serving has neither): the served models, a bundle's attributes
        app.get("/facegan/models", ctx -> ctx.json(registry.names().stream().sorted().toList()));
        app.get("/facegan/models/{name}/attributes", ctx -> {
            try (var v = registry.acquire(ctx.pathParam("name"), null)) {
                ctx.json(v.get().attributes());
            }
        });
        app.get("/facegan/models/{name}/batching", this::batching);
        app.post("/v1/models/<path>", this::post);
        app.exception(ServeException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(JsonProcessingException.class, (e, ctx) -> error(ctx, 400, "malformed JSON: "
                + e.getOriginalMessage()));
        app.exception(Exception.class, (e, ctx) -> error(ctx, 500, String.valueOf(e.getMessage())));
        app.error(404, ctx -> { if (ctx.result() == null) error(ctx, 404, "no such endpoint: " + ctx.path()); });
        app.error(413, ctx -> error(ctx, 413, "request body over this server's limit of " + maxBodyBytes + " bytes"));
        app.start(host, port);
        this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "facegan-serve-scan");
            t.setDaemon(true);
            return t;
        });
        scanner.scheduleWithFixedDelay(() -> {
            try {
                registry.scan().forEach(log);
            } catch (RuntimeException e) { // one that escaped would cancel every later scan
                log.accept("scan failed, trying again in " + pollSeconds + " s: " + e);
            }
        }, pollSeconds, pollSeconds, TimeUnit.SECONDS);
    }

    public int port() {
        return app.port();
    }

    /** Loads new versions now (otherwise done every poll interval). */
    public List<String> scan() {
        return registry.scan();
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", message));
    }

    private Matcher route(Context ctx) {
        Matcher m = PATH.matcher(ctx.pathParam("path"));
        if (!m.matches()) throw ServeException.notFound("no such endpoint: " + ctx.path());
        return m;
    }

    private void get(Context ctx) {
        Matcher m = route(ctx);
        String name = m.group(1);
        Long version = m.group(2) == null ? null : Long.parseLong(m.group(2));
        if (":predict".equals(m.group(3))) throw new ServeException(405, "predict takes POST");
        if ("/metadata".equals(m.group(3))) {
            try (var handle = registry.acquire(name, version)) {
                ServedVersion v = handle.get();
                String json = "{\"model_spec\":{\"name\":" + Predict.JSON.valueToTree(name) + ",\"signature_name\":\"\",\"version\":\""
                        + v.version + "\"},\"metadata\":{\"signature_def\":{\"signature_def\":" + v.signatureDefsJson() + "}}}";
                ctx.contentType("application/json").result(json);
            }
            return;
        }
        ObjectNode out = Predict.JSON.createObjectNode();
        ArrayNode statuses = out.putArray("model_version_status");
        List<Long> versions = registry.loaded(name);
        if (version != null && !versions.contains(version)) {
            throw ServeException.notFound("Servable not found for request: Specific(" + name + ", " + version + ")");
        }
        if (versions.isEmpty()) throw ServeException.notFound("no version of " + name + " is loaded yet");
        for (long v : version == null ? versions : List.of(version)) {
            ObjectNode s = statuses.addObject();
            s.put("version", Long.toString(v)).put("state", "AVAILABLE");
            s.putObject("status").put("error_code", "OK").put("error_message", "");
        }
        ctx.json(out);
    }

    private void post(Context ctx) throws java.io.IOException {
        Matcher m = route(ctx);
        if (!":predict".equals(m.group(3))) throw ServeException.notFound("POST goes to NAME[/versions/V]:predict");
        String name = m.group(1);
        Predict.Parsed request;
        CompletableFuture<Map<String, Values>> queued = null;
        byte[] answer = null;
        var handle = registry.acquire(name, m.group(2) == null ? null : Long.parseLong(m.group(2)));
        boolean handedOver = false;
        try {
            JsonNode body = Predict.JSON.readTree(ctx.bodyAsBytes());
            if (body == null) throw ServeException.badRequest("empty request body");
            request = Predict.parse(handle.get(), body, maxBatch);
            if (batcher != null && request.batchable()) {
                handedOver = true; // from here the scheduler releases the handle, after the batch ran
                queued = batcher.schedule(name, handle, request);
            } else {
                answer = Predict.respond(Predict.run(handle.get(), request.signature(), request.inputs()), request.rows());
            }
        } finally {
            if (!handedOver) handle.close();
        }
        ctx.contentType("application/json").result(answer != null ? answer : Predict.respond(await(queued), request.rows()));
    }

    private static Map<String, Values> await(CompletableFuture<Map<String, Values>> queued) {
        try {
            return queued.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /**
     * facegan's own status of batching (TF Serving has none): the parameters and, since the server started, the
     * batches run for this model, the requests and rows in them, their mean size in rows and the requests waiting.
     */
    private void batching(Context ctx) {
        String name = ctx.pathParam("name");
        registry.loaded(name); // 404 for an unknown model
        ObjectNode out = Predict.JSON.createObjectNode();
        out.put("enabled", batcher != null);
        if (batcher != null) {
            ObjectNode parameters = out.putObject("parameters");
            batcher.parameters().asMap().forEach(parameters::put);
            BatchScheduler.Stats stats = batcher.stats(name);
            out.put("batches", stats.batches()).put("requests", stats.requests()).put("rows", stats.rows())
                    .put("mean_batch_size", stats.meanBatchSize()).put("queued_requests", stats.queuedRequests());
        }
        ctx.json(out);
    }

    /** Stops taking requests, lets the ones in flight finish, then unloads the models. */
    @Override
    public void close() {
        scanner.shutdownNow();
        app.stop();
        if (batcher != null) batcher.close();
        registry.close();
    }
}
