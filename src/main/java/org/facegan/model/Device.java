package org.facegan.model;

import java.util.Locale;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * Where the networks run ({@code --device cpu|gpu[:N]}): the ops of the training graph, variables included, are
 * placed there. TensorFlow would otherwise pick a GPU on its own when it sees one and fall back to the CPU silently
 * when it does not; asking for a GPU that is not there is an error instead.
 *
 * <p>GPU N is made the session's only visible GPU (so it is its {@code /device:GPU:0}): the ops that
 * {@code Graph.addGradients} and the optimizers create carry no device, and TensorFlow puts those on the first
 * visible GPU, which is then the right one. {@code cpu:N} is the session's N-th CPU device: TensorFlow makes N + 1
 * of them share the machine's cores, which is how data-parallel towers ({@link Devices}) are tested without GPUs.
 */
public record Device(DeviceSpec.DeviceType type, int index) {
    public static final Device CPU = new Device(DeviceSpec.DeviceType.CPU, 0);

    public Device {
        if (type != DeviceSpec.DeviceType.CPU && type != DeviceSpec.DeviceType.GPU) {
            throw new IllegalArgumentException("--device must be cpu[:N] or gpu[:N], found " + type);
        }
        if (index < 0) throw new IllegalArgumentException("--device index must be 0 or more, found " + index);
    }

    /**
     * Parses {@code cpu}, {@code cpu:N}, {@code gpu} or {@code gpu:N}.
     *
     * @throws IllegalArgumentException naming --device and the accepted forms
     */
    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        for (DeviceSpec.DeviceType type : new DeviceSpec.DeviceType[] {DeviceSpec.DeviceType.CPU, DeviceSpec.DeviceType.GPU}) {
            String name = type.name().toLowerCase(Locale.ROOT);
            if (s.equals(name)) return new Device(type, 0);
            if (s.startsWith(name + ":") && s.substring(4).matches("\\d{1,3}")) {
                return new Device(type, Integer.parseInt(s.substring(4)));
            }
        }
        throw new IllegalArgumentException("--device must be cpu, cpu:N, gpu or gpu:N, found '" + spec + "'");
    }

    public boolean isGpu() {
        return type == DeviceSpec.DeviceType.GPU;
    }

    /** The device as the session sees it: a GPU is always its only visible one, index 0. */
    public DeviceSpec spec() {
        return Devices.of(this).towers().get(0);
    }

    /** Makes GPU N the session's only visible GPU; for cpu:N, gives the session N + 1 CPU devices. */
    public ConfigProto.Builder configure(ConfigProto.Builder config) {
        return Devices.of(this).configure(config);
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
        Devices.of(this).requireAvailable();
    }

    @Override
    public String toString() {
        return (isGpu() ? "gpu:" : "cpu:") + index;
    }
}
