package org.facegan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.facegan.model.ClusterServer;
import org.facegan.model.ClusterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code facegan worker}: serves one task of a training cluster (TensorFlow's gRPC server) until the process is
 * killed; {@code facegan train --cluster} on task 0, the chief, runs its towers there.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve one task of a training cluster (TensorFlow's gRPC runtime) until killed; "
                + "`facegan train --cluster FILE` on task 0, the chief, runs towers on it.",
                "The cluster comes from --cluster FILE --task N, or from the TF_CONFIG environment variable: "
                        + "{\"cluster\": {\"worker\": [\"host:port\", ...]}, \"task\": {\"type\": \"worker\", \"index\": N}}.",
                "TensorFlow's gRPC servers are unauthenticated and listen on every interface: run them on a private network."},
        footer = {"", "Example:", "  facegan worker --cluster cluster.json --task 1"})
public final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--cluster", paramLabel = "FILE",
            description = "The cluster, as TF_CONFIG's JSON. Default: the TF_CONFIG environment variable.")
    Path cluster;

    @Option(names = "--task", paramLabel = "N",
            description = "This worker's task index (1 or more: task 0 is the chief). Default: the spec's task.index.")
    Integer task;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws InterruptedException {
        ClusterSpec spec = spec(cluster, task, System.getenv(ClusterSpec.TF_CONFIG));
        if (spec.isChief()) {
            throw new IllegalArgumentException("task 0 is the chief: run `facegan train --cluster FILE` there, and "
                    + "`facegan worker` on tasks 1 to " + (spec.size() - 1));
        }
        if (threadsOption.threads < 0) throw new IllegalArgumentException("--threads must be 0 or more, found " + threadsOption.threads);
        ClusterServer.start(spec, threadsOption.threads);
        System.out.println("facegan worker: serving " + spec.describe(spec.task()) + " of a " + spec.size()
                + "-task cluster on every interface; stop it by ending the process");
        System.out.flush();
        new CountDownLatch(1).await(); // TensorFlow cannot stop a server: it serves until the process ends
        return ExitCodes.OK;
    }

    /**
     * The cluster of {@code --cluster FILE} (with {@code --task}), else of TF_CONFIG.
     *
     * @throws IllegalArgumentException in one line, naming the file or TF_CONFIG, when neither gives a valid spec
     */
    static ClusterSpec spec(Path file, Integer task, String tfConfig) {
        if (file != null) return ClusterSpec.read(file, task);
        if (tfConfig == null || tfConfig.isBlank()) {
            throw new IllegalArgumentException("no cluster: give --cluster FILE, or set TF_CONFIG");
        }
        return ClusterSpec.parse(tfConfig, task, ClusterSpec.TF_CONFIG);
    }
}
