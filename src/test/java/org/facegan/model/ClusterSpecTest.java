package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.ServerDef;
import org.tensorflow.types.TFloat32;

/** TF_CONFIG and --cluster parsing, cluster devices, and the one class that opens a session with a target. */
class ClusterSpecTest {
    static final String TF_CONFIG = "{\"cluster\": {\"worker\": [\"chief.lan:2222\", \"w1.lan:2222\", \"10.0.0.3:2223\"]},"
            + " \"task\": {\"type\": \"worker\", \"index\": 2}, \"environment\": \"cloud\"}";

    @Test
    void tfConfigParsesIntoTheServerDefOfItsTask() {
        ClusterSpec spec = ClusterSpec.parse(TF_CONFIG, null, "TF_CONFIG");
        assertThat(spec.workers()).containsExactly("chief.lan:2222", "w1.lan:2222", "10.0.0.3:2223");
        assertThat(spec.task()).isEqualTo(2);
        assertThat(spec.isChief()).isFalse();
        assertThat(spec.localTarget()).isEqualTo("grpc://localhost:2223");
        ServerDef def = spec.serverDef(1);
        assertThat(def.getJobName()).isEqualTo("worker");
        assertThat(def.getTaskIndex()).isEqualTo(2);
        assertThat(def.getCluster().getJob(0).getTasksMap()).containsEntry(0, "chief.lan:2222").containsEntry(2, "10.0.0.3:2223");
        assertThat(def.getDefaultSessionConfig().getIntraOpParallelismThreads()).isEqualTo(1);
        // --task replaces the spec's task; the JSON round-trips
        assertThat(ClusterSpec.parse(TF_CONFIG, 0, "x").isChief()).isTrue();
        assertThat(ClusterSpec.parse(spec.toJson(), null, "x")).isEqualTo(spec);
    }

    @Test
    void badSpecsGetOneLineNamingTheSourceAndWhatIsWrong() {
        String[][] bad = {
                {"not json", "--cluster c.json: not JSON"},
                {"{\"cluster\": {\"worker\": [\"a:1\"]}}", "no task"},
                {"{\"cluster\": {\"ps\": [\"a:1\"], \"worker\": [\"b:2\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}", "job \"ps\""},
                {"{\"cluster\": {\"worker\": [\"a:1\", \"a:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}", "lists a:1 twice"},
                {"{\"cluster\": {\"worker\": [\"a\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}", "host:port"},
                {"{\"cluster\": {\"worker\": [\"a:70000\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}", "port 1-65535"},
                {"{\"cluster\": {\"worker\": [\"a:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 1}}", "task index must be 0 to 0"},
                {"{\"cluster\": {\"worker\": [\"a:1\"]}, \"task\": {\"type\": \"chief\", \"index\": 0}}", "type must be \"worker\""},
                {"{\"cluster\": {\"worker\": []}, \"task\": {\"type\": \"worker\", \"index\": 0}}", "empty"},
                {"{\"clusters\": {}}", "unknown key \"clusters\""},
        };
        for (String[] b : bad) {
            assertThatThrownBy(() -> ClusterSpec.parse(b[0], null, "--cluster c.json")).as(b[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--cluster c.json: ").hasMessageContaining(b[1])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void clusterDevicesAreTheTasksAndTheVariablesStayOnTheChief() {
        ClusterSpec spec = ClusterSpec.parse(TF_CONFIG, 0, "x");
        Device d = Device.parse("/job:worker/task:1/device:GPU:0");
        assertThat(d).isEqualTo(new Device(org.tensorflow.DeviceSpec.DeviceType.GPU, 0, 1));
        assertThat(d).hasToString("/job:worker/task:1/device:GPU:0");
        assertThat(Device.parse("/job:worker/replica:0/task:2/device:CPU:1")).hasToString("/job:worker/task:2/device:CPU:1");

        Devices all = Devices.onCluster(spec, null, Duration.ofSeconds(9));
        assertThat(all.towers()).extracting(Object::toString).containsExactly("/job:worker/replica:0/task:0/device:CPU:0",
                "/job:worker/replica:0/task:1/device:CPU:0", "/job:worker/replica:0/task:2/device:CPU:0");
        assertThat(all.configure(ConfigProto.newBuilder()).getOperationTimeoutInMs()).isEqualTo(9000);
        Devices workersOnly = Devices.onCluster(spec, "/job:worker/task:1/device:CPU:0,/job:worker/task:2/device:CPU:0",
                Duration.ofSeconds(9));
        try (Graph g = new Graph()) {
            GraphOperation v = (GraphOperation) workersOnly.ops(g).withName("v").variable(org.tensorflow.ndarray.Shape.scalar(), TFloat32.class).op();
            assertThat(v.device()).isEqualTo("/job:worker/replica:0/task:0/device:CPU:0");
        }
        assertThatThrownBy(() -> Devices.onCluster(spec, "/job:worker/task:3/device:CPU:0,/job:worker/task:1/device:CPU:0", Duration.ofSeconds(1)))
                .hasMessageContaining("tasks 0 to 2");
        assertThatThrownBy(() -> Devices.onCluster(spec, "cpu:0,cpu:1", Duration.ofSeconds(1)))
                .hasMessageContaining("/job:worker/task:T/device:CPU:N");
        assertThatThrownBy(() -> Devices.parse("/job:worker/task:1/device:CPU:0")).hasMessageContaining("--cluster");
    }

    /** What TargetSession relies on in TF Java: if an upgrade removes it, this fails (and says what is missing). */
    @Test
    void aSessionWithATargetOpensThroughTfJavasBindings() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var v = tf.withName("v").variable(tf.constant(3f)); // initialised by the session's autoInit
            var doubled = tf.math.mul(v, tf.constant(2f));
            try (Session s = TargetSession.open(g, ConfigProto.getDefaultInstance(), "")) { // "": in-process runtime
                try (TFloat32 t = (TFloat32) s.runner().fetch(doubled).run().get(0)) {
                    assertThat(t.getFloat()).isEqualTo(6f);
                }
                List<String> devices = TargetSession.deviceNames(s);
                assertThat(devices).anyMatch(n -> n.endsWith("/device:CPU:0"));
            }
        }
    }
}
