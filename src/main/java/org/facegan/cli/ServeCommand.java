package org.facegan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.facegan.serve.RestServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code facegan serve}: TF Serving's REST API over exported models, until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve exported models over TF Serving's REST API (GET /v1/models/NAME, .../metadata,",
                "POST /v1/models/NAME[/versions/V]:predict): a client written for facegan serve works against TF",
                "Serving unchanged. New version directories are picked up while it runs; SIGTERM stops it gracefully."})
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
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        RestServer server = new RestServer(models, host, port, maxBatch, (long) maxBodyMb << 20, pollSeconds,
                line -> System.err.println("serve: " + line));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("serve: stopping");
            server.close();
            stopped.countDown();
        }));
        System.err.println("serve: http://" + host + ":" + server.port() + "/v1/models/" + String.join(", ", models.keySet()));
        stopped.await();
        return ExitCodes.OK;
    }
}
