package org.facegan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.facegan.serve.BatchingParameters;
import org.facegan.serve.RestServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code facegan serve}: TF Serving's REST API over exported models, until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve exported models over TF Serving's REST API, and the web editor at /.",
                "GET /v1/models/NAME, .../metadata and POST /v1/models/NAME[/versions/V]:predict: a client written for facegan serve works against TF Serving unchanged. New version directories are picked up while it runs; SIGTERM stops it gracefully.",
                "The face editor is at http://HOST:PORT/ in a browser (printed at start-up)."},
        footer = {"", "Example:", "  facegan serve --model-base export/faces32-synthetic --port 8501"})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model-base", paramLabel = "DIR",
            description = "A model's base path (DIR/<version>/saved_model.pb, as facegan export writes); its name is DIR's last part. Repeatable.")
    List<Path> bases = List.of();

    @Option(names = "--model", paramLabel = "NAME=DIR", description = "A model under another name. Repeatable.")
    Map<String, Path> named = Map.of();

    @Option(names = "--port", defaultValue = "8501", description = "HTTP port (TF Serving's REST port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "" + RestServer.DEFAULT_MAX_BATCH,
            description = "Most rows one predict request may carry (more: 413). Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Option(names = "--max-body-mb", paramLabel = "MB", defaultValue = "16",
            description = "Largest request body (more: 413). Default: ${DEFAULT-VALUE}.")
    int maxBodyMb;

    @Option(names = "--poll-seconds", paramLabel = "S", defaultValue = "2",
            description = "Seconds between scans for new version directories. Default: ${DEFAULT-VALUE}.")
    int pollSeconds;

    @Option(names = "--batching", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Merge concurrent predict requests on the same model version and signature into one run, as TF "
                    + "Serving's --enable_batching does (--no-batching: each request runs alone). Default: on.")
    boolean batching;

    @Option(names = {"--batching-parameters", "--batching_parameters_file"}, paramLabel = "FILE",
            description = "TF Serving's batching parameters file (text format: max_batch_size { value: 64 } ...); the four "
                    + "options below override it.")
    Path batchingFile;

    @Option(names = "--max_batch_size", paramLabel = "ROWS",
            description = "Most rows in one batch; a request with more is refused (400), as TF Serving does. Default: --max-batch.")
    Integer maxBatchSize;

    @Option(names = "--batch_timeout_micros", paramLabel = "US",
            description = "How long a batch that is not full waits for more requests; 0: it runs as soon as a batch thread is free. Default: "
                    + BatchingParameters.BATCH_TIMEOUT_MICROS_DEFAULT + ".")
    Long batchTimeoutMicros;

    @Option(names = "--num_batch_threads", paramLabel = "N", description = "Threads running batches; each run also uses "
            + "every core through TensorFlow's own threads. Default: half the cores, at least 1.")
    Integer numBatchThreads;

    @Option(names = "--max_enqueued_batches", paramLabel = "N",
            description = "Batches a queue may hold beyond those running; more requests are answered 503. Default: "
                    + BatchingParameters.MAX_ENQUEUED_BATCHES_DEFAULT + ".")
    Integer maxEnqueuedBatches;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be in [0, 65535], found " + port);
        if (maxBatch < 1) throw new IllegalArgumentException("--max-batch must be at least 1, found " + maxBatch);
        if (maxBodyMb < 1) throw new IllegalArgumentException("--max-body-mb must be at least 1, found " + maxBodyMb);
        if (pollSeconds < 1) throw new IllegalArgumentException("--poll-seconds must be at least 1, found " + pollSeconds);
        Map<String, Path> models = new LinkedHashMap<>();
        for (Path base : bases) models.put(base.toAbsolutePath().normalize().getFileName().toString(), base);
        models.putAll(named);
        if (models.isEmpty()) throw new IllegalArgumentException("give at least one --model-base DIR or --model NAME=DIR");
        for (var e : models.entrySet()) {
            if (!Files.isDirectory(e.getValue())) {
                throw new IllegalArgumentException("model " + e.getKey() + ": " + e.getValue() + " is not a directory");
            }
        }
        BatchingParameters batchingParameters = batchingParameters();
        checkPortFree(host, port); // before seconds of loading models, and without a server's error log

        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        RestServer server = new RestServer(models, host, port, maxBatch, (long) maxBodyMb << 20, pollSeconds,
                batchingParameters, line -> System.err.println("serve: " + line));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("serve: stopping");
            server.close();
            stopped.countDown();
        }));
        String url = "http://" + host + ":" + server.port() + "/";
        System.err.println("serve: " + url + "v1/models/" + String.join(", ", models.keySet()));
        System.err.println("serve: web editor at " + url);
        stopped.await();
        return ExitCodes.OK;
    }

    /**
     * @throws IllegalArgumentException naming --port when {@code host:port} cannot be bound (in use, or not this
     *     machine's address); port 0 (any free port) always passes
     */
    static void checkPortFree(String host, int port) {
        if (port == 0) return;
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true); // as Jetty binds: a port in TIME_WAIT is free
            socket.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--port " + port + ": cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + "); is another server running there? Choose another --port", e);
        }
    }

    /** Defaults, then the file, then the options given; null with --no-batching. */
    BatchingParameters batchingParameters() {
        boolean anyGiven = batchingFile != null || maxBatchSize != null || batchTimeoutMicros != null
                || numBatchThreads != null || maxEnqueuedBatches != null;
        if (!batching) {
            if (anyGiven) throw new IllegalArgumentException("--no-batching takes no batching parameters (--batching-parameters, --max_batch_size, ...)");
            return null;
        }
        BatchingParameters p = BatchingParameters.defaults().withMaxBatchSize(maxBatch); // refuses nothing --max-batch takes
        if (batchingFile != null) p = BatchingParameters.read(batchingFile, p);
        try {
            if (maxBatchSize != null) p = p.withMaxBatchSize(maxBatchSize);
            if (batchTimeoutMicros != null) p = p.withBatchTimeoutMicros(batchTimeoutMicros);
            if (numBatchThreads != null) p = p.withNumBatchThreads(numBatchThreads);
            if (maxEnqueuedBatches != null) p = p.withMaxEnqueuedBatches(maxEnqueuedBatches);
        } catch (IllegalArgumentException e) { // "max_batch_size must be ...": name the option as it was given
            throw new IllegalArgumentException("--" + e.getMessage(), e);
        }
        return p;
    }
}
