package org.facegan.model;

import java.util.Locale;
import org.tensorflow.DeviceSpec;

/**
 * One device as the user names it ({@code --device cpu|gpu[:N]}, or one entry of {@code --devices}): the ops of
 * the training graph, variables included, are placed there ({@link Devices} places them and checks the device is
 * there). TensorFlow would otherwise pick a GPU on its own when it sees one and fall back to the CPU silently
 * when it does not; asking for a GPU that is not there is an error instead.
 *
 * <p>{@code gpu:N} is the machine's GPU N; {@code cpu:N} is the session's N-th CPU device: TensorFlow makes N + 1
 * of them share the machine's cores, which is how data-parallel towers are tested without GPUs.
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
            String index = s.startsWith(name + ":") ? s.substring(name.length() + 1) : "";
            if (index.matches("\\d{1,3}")) return new Device(type, Integer.parseInt(index));
        }
        throw new IllegalArgumentException("--device must be cpu, cpu:N, gpu or gpu:N, found '" + spec + "'");
    }

    public boolean isGpu() {
        return type == DeviceSpec.DeviceType.GPU;
    }

    @Override
    public String toString() {
        return (isGpu() ? "gpu:" : "cpu:") + index;
    }
}
