package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.facegan.testing.Fixtures;
import org.facegan.train.TrainingGraph;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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

    /** fp16 adds each network's loss scale: variables and ops of facegan's own, named after the optimizer. */
    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"FP32", "FP16"})
    void everyOpOfTheTrainingGraphIsPlacedOnTheRequestedDevice(Precision precision) {
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().learningRate(2e-4f).precision(precision).seed(1)
                    .build(), 3, Devices.of(Device.CPU));
            Set<String> slots = adamSlots(t);
            List<String> unplaced = new ArrayList<>();
            long[] placed = {0};
            graph.operations().forEachRemaining(op -> {
                if (op.device().equals("/device:CPU:0")) placed[0]++;
                else if (!builtWithoutDevice(op.name(), slots)) unplaced.add(op.name() + " @ '" + op.device() + "'");
            });
            assertThat(unplaced).isEmpty();
            assertThat(placed[0]).isGreaterThan(500);
        }
    }

    /**
     * The ops that TensorFlow's gradient builder ({@code Graph.addGradients}, under the name scopes gradients,
     * gradients_1, ..., one per network) and each network's Adam (the framework's Optimizer names every op it makes
     * after itself: d_adam, d_adam_1, ..., d_adam_apply; its β powers are beta1_power and beta2_power, suffixed _1,
     * _2 for the second and third Adam) create with no device. TensorFlow colocates the updates with their variables
     * and puts the rest on the first visible device, which {@link Device} makes the requested one. Every other op,
     * facegan's own variables included, must carry the device.
     */
    private static final Pattern BUILT_WITHOUT_DEVICE =
            Pattern.compile("gradients(_\\d+)?/.+|[dge]_adam(_\\d+|_apply)?|beta[12]_power(_\\d+)?");

    private static boolean builtWithoutDevice(String name, Set<String> adamSlots) {
        return BUILT_WITHOUT_DEVICE.matcher(name).matches() || adamSlots.contains(name);
    }

    /** Adam's two slots of each trainable variable W, W-m and W-v, which it also creates without a device. */
    private static Set<String> adamSlots(TrainingGraph t) {
        Set<String> slots = new HashSet<>();
        for (Network net : List.of(t.generator, t.discriminator, t.encoder)) {
            for (var v : net.params().trainable()) {
                slots.add(v.op().name() + "-m");
                slots.add(v.op().name() + "-v");
            }
        }
        return slots;
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
