package org.facegan.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.facegan.model.ClusterSpec;
import org.facegan.model.Devices;
import picocli.CommandLine.Option;

/**
 * The options of a training run across machines ({@code train --cluster FILE}, or TF_CONFIG with task 0): the
 * cluster, how long to wait for its workers, and the deadline of each step. See {@link ClusterRun}.
 */
final class ClusterOption {
    static final int DEFAULT_DEADLINE_SECONDS = 60;
    static final int DEFAULT_WAIT_SECONDS = 60;

    @Option(names = "--cluster", paramLabel = "FILE",
            description = "Train across machines on TensorFlow's gRPC runtime: FILE is the cluster as TF_CONFIG's JSON, {\"cluster\": {\"worker\": [\"host:port\", ...]}}; this process is task 0, the chief (variables, Adam, data, run directory); `facegan worker --cluster FILE --task N` serves the others. One tower per task's first device unless --devices names /job:worker/task:T/device:CPU:N or GPU:N. Without it, TF_CONFIG (task 0) is used when set. The servers are unauthenticated: use a private network.")
    Path cluster;

    @Option(names = "--step-deadline", paramLabel = "SECONDS", defaultValue = "" + DEFAULT_DEADLINE_SECONDS,
            description = "With a cluster: a step (one session run) that takes longer fails, naming the lost worker; the latest checkpoint is kept, and the same command resumes. Default: ${DEFAULT-VALUE}.")
    int deadlineSeconds;

    @Option(names = "--await-workers", paramLabel = "SECONDS", defaultValue = "" + DEFAULT_WAIT_SECONDS,
            description = "With a cluster: how long to wait at start-up for every worker to answer. Default: ${DEFAULT-VALUE}.")
    int waitSeconds;

    /**
     * The cluster run these options describe (with {@code --devices}' text), or null when there is no cluster.
     *
     * @param device {@code --device}, which a cluster run does not take
     * @throws IllegalArgumentException in one line naming the option, the file or TF_CONFIG
     */
    ClusterRun parse(String device, String devices) {
        String tfConfig = System.getenv(ClusterSpec.TF_CONFIG);
        if (cluster == null && (tfConfig == null || tfConfig.isBlank())) return null;
        ClusterSpec spec = WorkerCommand.spec(cluster, cluster == null ? null : 0, tfConfig);
        if (!spec.isChief()) {
            throw new IllegalArgumentException((cluster == null ? ClusterSpec.TF_CONFIG : "--cluster " + cluster)
                    + ": this is " + spec.describe(spec.task()) + ", not the chief (task 0): run `facegan worker` here");
        }
        if (device != null) throw new IllegalArgumentException("--device does not go with --cluster: name the tasks' devices with --devices");
        if (deadlineSeconds < 1) throw new IllegalArgumentException("--step-deadline must be 1 s or more, found " + deadlineSeconds);
        if (waitSeconds < 0) throw new IllegalArgumentException("--await-workers must be 0 s or more, found " + waitSeconds);
        Duration deadline = Duration.ofSeconds(deadlineSeconds);
        return new ClusterRun(Devices.onCluster(spec, devices, deadline), devices != null, Duration.ofSeconds(waitSeconds));
    }
}
