package org.facegan.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The devices of a run ({@code --devices gpu:0,gpu:1,...}): one data-parallel tower each, the batch split evenly
 * over them, the variables (and the ops that combine the towers: batch-norm statistics, gradient sums, Adam) on
 * the first. One device is the plain, single-device run.
 *
 * <p>The listed GPUs become the session's visible GPUs in the listed order, so tower k runs on the session's
 * {@code /device:GPU:k} (one GPU N is the session's only one, its GPU:0: the ops that {@code Graph.addGradients}
 * and the optimizers create carry no device, and TensorFlow puts those on the first visible GPU, which is then the
 * right one). CPU devices {@code cpu:0,cpu:1} are TensorFlow's virtual CPU devices (the session's
 * device count), which share the machine's cores: they compute what GPUs would, not faster.
 *
 * <p>On a cluster ({@code train --cluster}) the devices are the tasks' ({@code /job:worker/task:T/device:...}), the
 * variables live on the chief (task 0), and the session is the chief server's, with {@code deadline} on every run.
 *
 * @param cluster the cluster whose tasks' devices {@code list} names, or null for this process's devices
 * @param deadline with a cluster: the longest one session run (a step) may take before it fails; else null
 */
public record Devices(List<Device> list, ClusterSpec cluster, java.time.Duration deadline) {
    public Devices(List<Device> list) {
        this(list, null, null);
    }

    public Devices {
        list = List.copyOf(list);
        if (list.isEmpty()) throw new IllegalArgumentException("--devices needs at least one device");
        if ((cluster == null) != (deadline == null)) throw new IllegalArgumentException("a cluster needs a deadline, and only a cluster");
        for (Device d : list) {
            if (d.isRemote() != (cluster != null)) {
                throw new IllegalArgumentException(cluster == null
                        ? "--devices " + d + " names a cluster task: give --cluster FILE (or TF_CONFIG) too"
                        : "--devices with --cluster names the tasks' devices, /job:worker/task:T/device:CPU:N, found " + d);
            }
            if (cluster != null && d.task() >= cluster.size()) {
                throw new IllegalArgumentException("--devices " + d + ": the cluster has tasks 0 to " + (cluster.size() - 1));
            }
        }
        if (cluster != null && list.size() == 1 && list.get(0).task() != 0) {
            throw new IllegalArgumentException("--devices " + list.get(0) + ": one tower runs on the chief, task 0");
        }
        if (list.stream().map(Device::isGpu).distinct().count() > 1) {
            throw new IllegalArgumentException("--devices must be all cpu or all gpu, found " + names(list));
        }
        if (new HashSet<>(list).size() != list.size()) {
            throw new IllegalArgumentException("--devices lists a device twice: " + names(list));
        }
    }

    public static Devices of(Device device) {
        return new Devices(List.of(device));
    }

    /**
     * The towers of a cluster run: {@code spec} (a comma-separated list of {@code /job:worker/task:T/device:X:N}), or
     * when null, each task's first CPU.
     *
     * @throws IllegalArgumentException naming --devices when the list is malformed or names a task not in the cluster
     */
    public static Devices onCluster(ClusterSpec cluster, String spec, java.time.Duration deadline) {
        List<Device> devices = new ArrayList<>();
        if (spec == null) {
            for (int t = 0; t < cluster.size(); t++) devices.add(new Device(DeviceSpec.DeviceType.CPU, 0, t));
        } else {
            devices.addAll(parseList(spec));
        }
        return new Devices(devices, cluster, deadline);
    }

    /**
     * Parses a comma-separated list of {@link Device#parse} forms ({@code gpu:0,gpu:1}).
     *
     * @throws IllegalArgumentException naming --devices and what was expected
     */
    public static Devices parse(String spec) {
        return new Devices(parseList(spec));
    }

    private static List<Device> parseList(String spec) {
        List<Device> devices = new ArrayList<>();
        for (String one : spec.split(",", -1)) {
            try {
                devices.add(Device.parse(one));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--devices must be a comma-separated list of cpu:N or gpu:N, found '"
                        + spec + "'", e);
            }
        }
        return devices;
    }

    public int count() {
        return list.size();
    }

    /** @throws IllegalArgumentException naming --batch and --devices when the batch does not split evenly */
    public void checkSplits(int batch) {
        if (batch % count() != 0) {
            throw new IllegalArgumentException("--batch " + batch + " does not split evenly over the " + count()
                    + " devices of --devices " + this);
        }
    }

    /** Each tower's device as the session sees it, in tower order. */
    public List<DeviceSpec> towers() {
        List<DeviceSpec> specs = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            Device d = list.get(k);
            if (d.isRemote()) {
                specs.add(d.spec()); // a task's GPU N is its own GPU N
                continue;
            }
            specs.add(DeviceSpec.newBuilder().deviceType(d.type()).deviceIndex(d.isGpu() ? k : d.index()).build());
        }
        return specs;
    }

    /**
     * Ops placed on the first device: the variables' and the towers' meeting point. On a cluster: the chief's first
     * listed device, else its first CPU (the variables, Adam and the checkpoints stay on the chief).
     */
    public Ops ops(Graph graph) {
        if (cluster != null) {
            Device chief = list.stream().filter(d -> d.task() == 0).findFirst()
                    .orElse(new Device(DeviceSpec.DeviceType.CPU, 0, 0));
            return Ops.create(graph).withDevice(chief.spec());
        }
        return Ops.create(graph).withDevice(towers().get(0));
    }

    /**
     * Makes the listed GPUs the session's visible ones, in order, or gives it enough CPU devices. On a cluster each
     * task has its own devices; the session gets the deadline (TensorFlow's gRPC session honours
     * {@code operation_timeout_in_ms} on every run, and on closing) and its own variables.
     */
    public ConfigProto.Builder configure(ConfigProto.Builder config) {
        // isolated: a server otherwise shares variables by name between all sessions on it (between-graph
        // replication), so a second graph in the same chief process would find the first one's variables
        if (cluster != null) return config.setOperationTimeoutInMs(deadline.toMillis()).setIsolateSessionState(true);
        if (list.get(0).isGpu()) {
            String visible = list.stream().map(d -> Integer.toString(d.index())).collect(Collectors.joining(","));
            config.setGpuOptions(config.getGpuOptions().toBuilder().setVisibleDeviceList(visible));
        } else {
            int cpus = list.stream().mapToInt(Device::index).max().orElse(0) + 1;
            if (cpus > 1) config.putDeviceCount("CPU", cpus);
        }
        return config;
    }

    /**
     * Checks that TensorFlow can run an op on every device, before any work starts.
     *
     * @throws IllegalArgumentException naming the device, what TensorFlow said and how to get a GPU build
     */
    public void requireAvailable() {
        List<DeviceSpec> specs = towers();
        for (int k = 0; k < specs.size(); k++) {
            if (!list.get(k).isGpu() || list.get(k).isRemote()) continue; // a task's devices: checked by its session
            try (Graph graph = new Graph()) {
                Ops tf = Ops.create(graph).withDevice(specs.get(k));
                Operand<TFloat32> probe = tf.math.add(tf.constant(1f), tf.constant(1f));
                try (Session session = new Session(graph, configure(ConfigProto.newBuilder().setAllowSoftPlacement(false)).build())) {
                    session.runner().fetch(probe).run().close();
                }
            } catch (TensorFlowException | IllegalArgumentException e) {
                String said = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                throw new IllegalArgumentException((count() > 1 ? "--devices " : "--device ") + list.get(k)
                        + ": TensorFlow cannot place ops there ("
                        + said + "); a GPU needs NVIDIA's driver and the GPU build (mvn -Pgpu package)", e);
            }
        }
    }

    @Override
    public String toString() {
        return names(list);
    }

    private static String names(List<Device> devices) {
        return devices.stream().map(Device::toString).collect(Collectors.joining(","));
    }
}
