package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.facegan.model.ClusterSpec;
import org.facegan.testing.LoopbackCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code facegan train --cluster} when a worker fails: killed mid-run (SIGKILL), the chief stops within the step
 * deadline with one line naming the task and its address, the latest checkpoint intact; once the worker is back the
 * same command resumes. A worker that is not there at start-up, or answers as another task, gets one line too.
 * The chief is this JVM (see {@link LoopbackCluster}); the workers are processes, killed in {@code finally}.
 */
@Timeout(value = 400, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClusterFaultTest {
    static final int DEADLINE_S = 20;

    @Test
    void aKilledWorkerStopsTheChiefWithinTheDeadlineAndTheSameCommandResumes(@TempDir Path tmp) throws Exception {
        Path cluster = LoopbackCluster.write(tmp), run = tmp.resolve("run"), checkpoints = run.resolve("checkpoints");
        String[] train = {"train", "--cluster", cluster.toString(), "--data", "synthetic:64", "--model",
                Files.writeString(tmp.resolve("tiny.json"), CliTest.TINY_MODEL).toString(), "--steps", "30", "--batch", "8",
                "--checkpoint-every", "3", "--sample-every", "1000", "--run", run.toString(), "--export", "none",
                "--step-deadline", "" + DEADLINE_S, "--await-workers", "60", "--threads", "1"};
        ExecutorService chief = Executors.newSingleThreadExecutor();
        LoopbackCluster.Worker worker = LoopbackCluster.startWorker(cluster, 1, tmp.resolve("worker-a.log"));
        try {
            StringWriter err = new StringWriter();
            Future<Integer> first = chief.submit(() -> Facegan.commandLine().setErr(new PrintWriter(err, true)).execute(train));
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (steps(checkpoints).isEmpty() && !first.isDone() && System.nanoTime() < waitUntil) Thread.sleep(50);
            assertThat(steps(checkpoints)).as("a checkpoint before the kill; chief said: " + err).isNotEmpty();
            assertThat(first.isDone()).as("the run was still going at the kill").isFalse();

            long killed = System.nanoTime();
            worker.close(); // SIGKILL, mid-run
            int code = first.get(2L * DEADLINE_S + 30, TimeUnit.SECONDS);
            double stoppedAfter = (System.nanoTime() - killed) / 1e9;

            String address = ClusterSpec.JOB + " task 1 (" + LoopbackCluster.spec().address(1) + ")";
            assertThat(code).as(err.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(err.toString().lines().toList()).as("one line").hasSize(1);
            assertThat(err.toString()).contains("lost " + address).contains("rerun the same command to resume");
            // a failed step fails fast ("Socket closed"); a step that hangs fails at the deadline; closing the
            // session is bounded by the same deadline
            assertThat(stoppedAfter).as("seconds from the kill to the chief's exit").isLessThan(2.0 * DEADLINE_S);
            List<String> left = steps(checkpoints);
            assertThat(left).isNotEmpty().doesNotContain("step-00000030");
            try (Stream<Path> all = Files.list(checkpoints)) {
                assertThat(all.map(p -> p.getFileName().toString())).as("no half-written checkpoint")
                        .allMatch(n -> n.matches("step-\\d{8}"));
            }
            String resumedFrom = left.get(left.size() - 1);

            worker = LoopbackCluster.startWorker(cluster, 1, tmp.resolve("worker-b.log"));
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            PrintStream stderr = System.err;
            int again;
            System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
            try {
                again = Facegan.commandLine().execute(train);
            } finally {
                System.setErr(stderr);
            }
            assertThat(again).as(progress.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.OK);
            assertThat(progress.toString(StandardCharsets.UTF_8))
                    .contains("resuming at step " + Long.parseLong(resumedFrom.substring(5)) + " of 30");
            assertThat(steps(checkpoints)).contains("step-00000030");
        } finally {
            worker.close();
            chief.shutdownNow();
        }
    }

    @Test
    void aMissingWorkerOrOneStartedAsAnotherTaskGetsOneLine(@TempDir Path tmp) throws Exception {
        Path cluster = LoopbackCluster.write(tmp);
        ClusterSpec spec = LoopbackCluster.spec();
        String[] train = {"train", "--cluster", cluster.toString(), "--data", "synthetic:16", "--model",
                Files.writeString(tmp.resolve("tiny.json"), CliTest.TINY_MODEL).toString(), "--steps", "2", "--batch", "8",
                "--run", tmp.resolve("run").toString(), "--export", "none", "--await-workers", "1", "--threads", "1"};
        StringWriter err = new StringWriter();
        int code = Facegan.commandLine().setErr(new PrintWriter(err, true)).execute(train);
        assertThat(code).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().lines().toList()).hasSize(1);
        assertThat(err.toString()).contains(spec.describe(1) + " is unreachable after 1 s");

        // the address of task 1, but the worker thinks it is task 2 of a three-task cluster
        Path other = Files.writeString(tmp.resolve("other.json"), "{\"cluster\": {\"worker\": [\"" + spec.address(0)
                + "\", \"127.0.0.1:" + LoopbackCluster.freePort() + "\", \"" + spec.address(1) + "\"]}}");
        try (LoopbackCluster.Worker stranger = LoopbackCluster.startWorker(other, 2, tmp.resolve("stranger.log"))) {
            StringWriter err2 = new StringWriter();
            int code2 = Facegan.commandLine().setErr(new PrintWriter(err2, true)).execute(train);
            assertThat(code2).as(err2.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(err2.toString().lines().toList()).hasSize(1);
            assertThat(err2.toString()).contains(spec.describe(1) + " answers, but not as task 1")
                    .contains("--task 1");
        }
    }

    private static List<String> steps(Path checkpoints) throws java.io.IOException {
        if (!Files.isDirectory(checkpoints)) return List.of();
        try (Stream<Path> s = Files.list(checkpoints)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d{8}")).sorted().toList();
        }
    }
}
