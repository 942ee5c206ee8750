package org.facegan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code facegan bench serve URL} (and {@code facegan bench --serve URL}): load on a model server, by {@link ServeBench}. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load-test a model server (facegan serve or TF Serving); print one JSON line.",
                "--requests predict calls from --clients concurrent clients, then --malformed bad requests; the line has the throughput, latency percentiles and error counts."},
        footer = {"", "Example:", "  facegan bench serve --clients 8 http://127.0.0.1:8501/v1/models/faces32-synthetic"})
final class BenchServeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "URL", description = "The model's REST address, e.g. http://127.0.0.1:8501/v1/models/NAME.")
    String url;

    @Option(names = "--requests", defaultValue = "10000", description = "Predict requests. Default: ${DEFAULT-VALUE}.")
    int requests;

    @Option(names = "--clients", defaultValue = "32", description = "Concurrent clients. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--malformed", defaultValue = "1000", description = "Malformed requests afterwards. Default: ${DEFAULT-VALUE}.")
    int malformed;

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || clients < 1 || malformed < 0) {
            throw new IllegalArgumentException("--requests and --clients must be at least 1 and --malformed 0 or more");
        }
        return ServeBench.run(url, requests, clients, malformed);
    }
}
