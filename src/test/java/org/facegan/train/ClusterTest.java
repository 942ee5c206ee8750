package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.facegan.model.ClusterServer;
import org.facegan.model.ClusterSpec;
import org.facegan.model.Devices;
import org.facegan.model.TargetSession;
import org.facegan.testing.Fixtures;
import org.facegan.testing.LoopbackCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Towers on two tasks of a loopback cluster (this JVM the chief, task 0; a {@code facegan worker} process task 1)
 * compute what towers on two of one process's devices compute ({@link DataParallelTest}, whose tolerance holds
 * here: the same sums in the same order, moved between processes as bits), and each task runs its own tower.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClusterTest {
    static final Duration DEADLINE = Duration.ofSeconds(120); // a step of TINY takes well under a second
    static LoopbackCluster.Worker worker;

    @BeforeAll
    static void startWorker(@TempDir Path tmp) throws Exception {
        ClusterSpec spec = LoopbackCluster.spec();
        worker = LoopbackCluster.startWorker(LoopbackCluster.write(tmp), 1, tmp.resolve("worker-1.log"));
        ClusterServer.start(spec, 1);
        ClusterServer.awaitOthers(spec, LoopbackCluster.WORKER_START);
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) worker.close();
    }

    @Test
    void twoTasksComputeWhatTwoLocalDevicesCompute() {
        TrainOptions hyper = DataParallelTest.modes().findFirst().orElseThrow();
        DataParallelTest.Batch batch = new DataParallelTest.Batch(new Random(7));
        Devices cluster = Devices.onCluster(LoopbackCluster.spec(), null, DEADLINE);
        assertThat(cluster.towers()).extracting(Object::toString)
                .containsExactly("/job:worker/replica:0/task:0/device:CPU:0", "/job:worker/replica:0/task:1/device:CPU:0");
        try (var local = new DataParallelTest.Built(Devices.parse("cpu:0,cpu:1"), hyper);
             var remote = new DataParallelTest.Built(cluster, hyper)) {
            assertThat(TargetSession.deviceNames(remote.session)).contains("/job:worker/replica:0/task:1/device:CPU:0");
            Map<String, float[]> before = local.run(batch), beforeRemote = remote.run(batch);
            assertThat(beforeRemote.keySet()).isEqualTo(before.keySet());
            for (String name : before.keySet()) {
                DataParallelTest.assertClose(name, before.get(name), beforeRemote.get(name), DataParallelTest.TOLERANCE);
            }
            Map<String, float[]> initial = Fixtures.allVariables(local.session);
            local.step(batch);
            remote.step(batch);
            Map<String, float[]> after = Fixtures.allVariables(local.session), afterRemote = Fixtures.allVariables(remote.session);
            assertThat(afterRemote.keySet()).isEqualTo(after.keySet());
            for (String name : after.keySet()) {
                DataParallelTest.assertClose(name, after.get(name), afterRemote.get(name), DataParallelTest.TOLERANCE);
            }
            // and the step moved the weights (not two copies of nothing)
            assertThat(Fixtures.meanAbsoluteDifference(after, initial)).isGreaterThan(0);
        }
    }

    @Test
    void stepStatsShowEachTaskRunningItsTowersForwardAndBackwardKernels() {
        TrainOptions hyper = DataParallelTest.modes().findFirst().orElseThrow();
        DataParallelTest.Batch batch = new DataParallelTest.Batch(new Random(7));
        try (var remote = new DataParallelTest.Built(Devices.onCluster(LoopbackCluster.spec(), null, DEADLINE), hyper);
             var feeds = new DataParallelTest.Feeds(batch)) {
            RunMetadata metadata;
            try (Result r = feeds.fed(remote.session.runner(), remote.net).addTarget(remote.net.dTrain)
                    .setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build())
                    .runAndFetchMetadata()) {
                metadata = r.getMetadata().orElseThrow();
            }
            Map<Integer, List<String>> kindsByTask = new LinkedHashMap<>();
            for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
                if (!device.getDevice().contains("/device:CPU:0")) continue;
                int task = Integer.parseInt(device.getDevice().replaceAll(".*/task:(\\d+)/.*", "$1"));
                for (NodeExecStats node : device.getNodeStatsList()) {
                    var op = remote.graph.operation(node.getNodeName()); // null for the partitions' _Send/_Recv
                    kindsByTask.computeIfAbsent(task, t -> new ArrayList<>()).add(op == null ? node.getNodeName() : op.type());
                }
            }
            assertThat(kindsByTask).containsKeys(0, 1);
            for (int task : List.of(0, 1)) {
                assertThat(kindsByTask.get(task)).as("task " + task)
                        .contains("Conv2D", "MatMul", "LeakyRelu")                          // D's forward pass
                        .contains("Conv2DBackpropFilter", "Conv2DBackpropInput", "LeakyReluGrad"); // and its backward pass
            }
            // the update (Adam) runs where the variables live: on the chief only
            assertThat(kindsByTask.get(1)).doesNotContain("ApplyAdam");
            assertThat(kindsByTask.get(0)).contains("ApplyAdam");
        }
    }
}
