package org.facegan.model;

import java.util.Locale;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Where the networks run ({@code --device cpu|gpu[:N]}): the ops of the training graph, variables included, are
 * placed there. TensorFlow would otherwise pick a GPU on its own when it sees one and fall back to the CPU silently
 * when it does not; asking for a GPU that is not there is an error instead.
 *
 * <p>GPU N is made the session's only visible GPU (so it is its {@code /device:GPU:0}): the ops that
 * {@code Graph.addGradients} and the optimizers create carry no device, and TensorFlow puts those on the first
 * visible GPU, which is then the right one.
 */
public record Device(DeviceSpec.DeviceType type, int index) {
    public static final Device CPU = new Device(DeviceSpec.DeviceType.CPU, 0);

    public Device {
        if (type != DeviceSpec.DeviceType.CPU && type != DeviceSpec.DeviceType.GPU) {
            throw new IllegalArgumentException("--device must be cpu or gpu[:N], found " + type);
        }
        if (index < 0) throw new IllegalArgumentException("--device index must be 0 or more, found " + index);
    }

    /**
     * Parses {@code cpu}, {@code gpu} or {@code gpu:N}.
     *
     * @throws IllegalArgumentException naming --device and the accepted forms
     */
    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) return CPU;
        if (s.equals("gpu")) return new Device(DeviceSpec.DeviceType.GPU, 0);
        if (s.startsWith("gpu:") && s.substring(4).matches("\\d{1,3}")) {
            return new Device(DeviceSpec.DeviceType.GPU, Integer.parseInt(s.substring(4)));
        }
        throw new IllegalArgumentException("--device must be cpu, gpu or gpu:N, found '" + spec + "'");
    }

    /** The device as the session sees it: a GPU is always its only visible one, index 0. */
    public DeviceSpec spec() {
        return DeviceSpec.newBuilder().deviceType(type).deviceIndex(0).build();
    }

    /** Makes GPU N the session's only visible GPU; nothing for the CPU. */
    public ConfigProto.Builder configure(ConfigProto.Builder config) {
        if (type == DeviceSpec.DeviceType.GPU) {
            config.setGpuOptions(config.getGpuOptions().toBuilder().setVisibleDeviceList(Integer.toString(index)));
        }
        return config;
    }

    /** Ops that place everything they build on this device. */
    public Ops ops(Graph graph) {
        return Ops.create(graph).withDevice(spec());
    }

    /**
     * Checks that TensorFlow can run an op here, before any work starts.
     *
     * @throws IllegalArgumentException naming --device, what TensorFlow said and how to get a GPU build
     */
    public void requireAvailable() {
        if (type == DeviceSpec.DeviceType.CPU) return;
        try (Graph graph = new Graph()) {
            Ops tf = ops(graph);
            Operand<TFloat32> probe = tf.math.add(tf.constant(1f), tf.constant(1f));
            try (Session session = new Session(graph, configure(ConfigProto.newBuilder().setAllowSoftPlacement(false)).build())) {
                session.runner().fetch(probe).run().close();
            }
        } catch (TensorFlowException | IllegalArgumentException e) {
            String said = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException("--device " + this + ": TensorFlow cannot place ops there (" + said
                    + "); a GPU needs NVIDIA's driver and the GPU build (mvn -Pgpu package)", e);
        }
    }

    @Override
    public String toString() {
        return type == DeviceSpec.DeviceType.CPU ? "cpu" : "gpu:" + index;
    }
}
