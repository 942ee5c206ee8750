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
 *
 * <p>In a cluster ({@code train --cluster}), a device of task T is named as TensorFlow names it,
 * {@code /job:worker/task:T/device:CPU:N} or {@code .../device:GPU:N} (that task's own GPU N).
 *
 * @param task the cluster task the device belongs to, or {@link #LOCAL} for this process's own device
 */
public record Device(DeviceSpec.DeviceType type, int index, int task) {
    public static final int LOCAL = -1;
    public static final Device CPU = new Device(DeviceSpec.DeviceType.CPU, 0);
    private static final java.util.regex.Pattern REMOTE = java.util.regex.Pattern.compile(
            "/job:" + ClusterSpec.JOB + "(?:/replica:0)?/task:(\\d{1,4})/device:(cpu|gpu):(\\d{1,3})");

    /** A device of this process. */
    public Device(DeviceSpec.DeviceType type, int index) {
        this(type, index, LOCAL);
    }

    public Device {
        if (task < LOCAL) throw new IllegalArgumentException("--devices task must be 0 or more, found " + task);
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
        java.util.regex.Matcher remote = REMOTE.matcher(s);
        if (remote.matches()) {
            return new Device(remote.group(2).equals("gpu") ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU,
                    Integer.parseInt(remote.group(3)), Integer.parseInt(remote.group(1)));
        }
        for (DeviceSpec.DeviceType type : new DeviceSpec.DeviceType[] {DeviceSpec.DeviceType.CPU, DeviceSpec.DeviceType.GPU}) {
            String name = type.name().toLowerCase(Locale.ROOT);
            if (s.equals(name)) return new Device(type, 0);
            String index = s.startsWith(name + ":") ? s.substring(name.length() + 1) : "";
            if (index.matches("\\d{1,3}")) return new Device(type, Integer.parseInt(index));
        }
        throw new IllegalArgumentException("--device must be cpu, cpu:N, gpu or gpu:N (in a cluster: "
                + "/job:worker/task:T/device:CPU:N or GPU:N), found '" + spec + "'");
    }

    public boolean isGpu() {
        return type == DeviceSpec.DeviceType.GPU;
    }

    /** Whether the device is a cluster task's ({@code /job:worker/task:T/...}) rather than this process's. */
    public boolean isRemote() {
        return task != LOCAL;
    }

    /** The device as the graph names it: a cluster task's, or this process's N-th device of its type. */
    public DeviceSpec spec() {
        DeviceSpec.Builder b = DeviceSpec.newBuilder();
        if (isRemote()) b.job(ClusterSpec.JOB).replica(0).task(task);
        return b.deviceType(type).deviceIndex(index).build();
    }

    @Override
    public String toString() {
        if (isRemote()) return "/job:" + ClusterSpec.JOB + "/task:" + task + "/device:" + (isGpu() ? "GPU:" : "CPU:") + index;
        return (isGpu() ? "gpu:" : "cpu:") + index;
    }
}
