package org.facegan.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.facegan.model.ClusterSpec;

/**
 * A two-task training cluster on 127.0.0.1 for tests: the test's JVM is the chief (task 0), and {@code facegan worker}
 * processes started from the test's own classpath serve task 1 (during {@code mvn verify} the jar does not exist
 * yet). TensorFlow cannot stop a server, so the chief's server lives as long as the test JVM and every test in it
 * shares one spec, {@link #spec()}; worker processes are ended by the tests (SIGKILL, then waited for).
 */
public final class LoopbackCluster {
    /** How long a worker JVM may take to print its ready line on a loaded 2-core machine. */
    public static final Duration WORKER_START = Duration.ofSeconds(60);
    private static ClusterSpec spec;

    private LoopbackCluster() {}

    /** The JVM's one cluster: task 0 (this JVM) and task 1, each on a port that was free when first asked. */
    public static synchronized ClusterSpec spec() {
        if (spec == null) spec = new ClusterSpec(List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort()), 0);
        return spec;
    }

    /** Writes the cluster as TF_CONFIG's JSON (without a task) to {@code dir/cluster.json}. */
    public static Path write(Path dir) throws IOException {
        StringBuilder list = new StringBuilder();
        for (String w : spec().workers()) list.append(list.length() == 0 ? "" : ",").append('"').append(w).append('"');
        return Files.writeString(dir.resolve("cluster.json"), "{\"cluster\": {\"worker\": [" + list + "]}}");
    }

    /** A free TCP port on 127.0.0.1 (free when asked: the OS hands out ephemeral ports in turn). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1: " + e, e);
        }
    }

    /** The command that runs facegan's main class in a new JVM with this test's classpath. */
    public static List<String> facegan(String... args) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath, "org.facegan.cli.Facegan"));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts {@code facegan worker --cluster FILE --task N} and waits for its ready line.
     *
     * @throws IllegalStateException (the process ended) when it exits or stays silent for {@link #WORKER_START}
     */
    public static Worker startWorker(Path clusterFile, int task, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(facegan("worker", "--cluster", clusterFile.toString(),
                "--task", Integer.toString(task), "--threads", "1"))
                .redirectError(log.toFile());
        Process process = builder.start();
        Worker worker = new Worker(process, task);
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) if (line.contains("serving")) return line;
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = ready.get(WORKER_START.toSeconds(), TimeUnit.SECONDS);
            if (line == null) throw new IllegalStateException("worker " + task + " exited: " + tail(log));
            return worker;
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            worker.close();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("worker " + task + " did not get ready within " + WORKER_START.toSeconds()
                    + " s: " + e + "; " + tail(log), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** A worker process; closing it kills it (SIGKILL) and waits until it has ended. */
    public static final class Worker implements AutoCloseable {
        private final Process process;
        public final int task;

        Worker(Process process, int task) {
            this.process = process;
            this.task = task;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public void close() {
            process.destroyForcibly(); // SIGKILL on Linux
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("worker " + pid() + " did not end");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
