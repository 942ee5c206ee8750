package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.facegan.testing.Fixtures;
import org.facegan.train.Balancing;
import org.facegan.train.TrainingGraph;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;

class DeviceTest {
    @Test
    void specsParseAndBadOnesNameTheOption() {
        assertThat(Device.parse("cpu")).isEqualTo(Device.CPU);
        assertThat(Device.parse("GPU")).isEqualTo(new Device(DeviceSpec.DeviceType.GPU, 0));
        assertThat(Device.parse("gpu:3")).hasToString("gpu:3");
        // GPU 3 becomes the session's only visible GPU, which it calls GPU:0
        Devices gpu3 = Devices.of(Device.parse("gpu:3"));
        assertThat(gpu3.towers().get(0).toString()).isEqualTo("/device:GPU:0");
        assertThat(gpu3.configure(org.tensorflow.proto.ConfigProto.newBuilder()).getGpuOptions()
                .getVisibleDeviceList()).isEqualTo("3");
        assertThat(Devices.of(Device.CPU).configure(org.tensorflow.proto.ConfigProto.newBuilder()).hasGpuOptions()).isFalse();
        for (String bad : new String[] {"tpu", "gpu:", "gpu:x", "cpu:-1", "cpu1", ""}) {
            assertThatThrownBy(() -> Device.parse(bad)).as(bad).hasMessageContaining("--device");
        }
    }

    @Test
    void towersRunOnTheListedDevicesInOrder() {
        // the listed GPUs become the visible ones in that order, so tower k is the session's GPU:k
        Devices gpus = Devices.parse("gpu:2,gpu:0");
        assertThat(gpus.towers()).extracting(DeviceSpec::toString).containsExactly("/device:GPU:0", "/device:GPU:1");
        assertThat(gpus.configure(org.tensorflow.proto.ConfigProto.newBuilder()).getGpuOptions().getVisibleDeviceList())
                .isEqualTo("2,0");
        // virtual CPU devices: the session gets as many as the highest index needs
        Devices cpus = Devices.parse("cpu:0,cpu:2");
        assertThat(cpus.towers()).extracting(DeviceSpec::toString).containsExactly("/device:CPU:0", "/device:CPU:2");
        assertThat(cpus.configure(org.tensorflow.proto.ConfigProto.newBuilder()).getDeviceCountMap()).containsEntry("CPU", 3);
        assertThat(Devices.parse("cpu").configure(org.tensorflow.proto.ConfigProto.newBuilder()).getDeviceCountMap()).isEmpty();
        assertThat(cpus).hasToString("cpu:0,cpu:2");
        cpus.checkSplits(64);
        assertThatThrownBy(() -> cpus.checkSplits(63)).hasMessageContaining("--batch 63").hasMessageContaining("cpu:0,cpu:2");
        for (String bad : new String[] {"cpu:0,gpu:1", "gpu:1,gpu:1", "gpu:0,", "gpu:0;gpu:1"}) {
            assertThatThrownBy(() -> Devices.parse(bad)).as(bad).hasMessageContaining("--devices");
        }
    }

    @Test
    void everyOpOfTheTrainingGraphIsPlacedOnTheRequestedDevice() {
        try (Graph graph = new Graph()) {
            new TrainingGraph(graph, Fixtures.graphOptions().learningRate(2e-4f).seed(1).build(), 3, Devices.of(Device.CPU));
            List<String> unplaced = new ArrayList<>();
            long[] placed = {0};
            graph.operations().forEachRemaining(op -> {
                if (op.device().equals("/device:CPU:0")) placed[0]++;
                else if (!isOptimizerInternal(op.name())) unplaced.add(op.name() + " @ '" + op.device() + "'");
            });
            assertThat(unplaced).isEmpty();
            assertThat(placed[0]).isGreaterThan(500);
        }
    }

    /**
     * Ops built by Graph.addGradients and by Adam (its slots and updates) carry no device: TensorFlow colocates
     * the updates with their variables and puts the rest on the first visible device, which {@link Device} makes
     * the requested one.
     */
    private static boolean isOptimizerInternal(String name) {
        return name.startsWith("gradients") || name.contains("adam") || name.endsWith("-m") || name.endsWith("-v")
                || name.contains("-m/") || name.contains("-v/") || name.contains("power");
    }

    @Test
    void askingForAGpuThatIsNotThereFailsBeforeAnyWorkNamingTheOptionAndTheFix() {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidia0")), "this machine has an NVIDIA GPU");
        assertThatThrownBy(() -> Devices.of(Device.parse("gpu")).requireAvailable())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--device gpu:0")
                .hasMessageContaining("mvn -Pgpu package");
        assertThatThrownBy(() -> Devices.parse("gpu:0,gpu:1").requireAvailable())
                .hasMessageStartingWith("--devices gpu:0").hasMessageContaining("mvn -Pgpu package");
        Devices.of(Device.CPU).requireAvailable(); // and the CPU always is
    }
}
