package org.facegan.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.facegan.model.ClusterServer;
import org.facegan.model.ClusterSpec;
import org.facegan.model.Device;
import org.facegan.model.Devices;
import org.facegan.model.Sessions;
import org.facegan.model.TargetSession;
import org.facegan.train.Checkpoints;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * The chief's side of a training run across machines: it starts the chief's server (task 0), waits for the
 * workers, checks that each answers as the task the cluster file says it is, picks the towers, and turns a step
 * that fails on a lost worker into one line naming it (exit 1), the latest checkpoint intact.
 */
final class ClusterRun {
    private static final Pattern TASK = Pattern.compile("/job:" + ClusterSpec.JOB + "/replica:0/task:(\\d+)");

    private Devices devices;
    private final boolean listed;
    private final Duration wait;

    /** @param listed whether --devices named the towers (else each task's first device: its GPU:0 if it has one) */
    ClusterRun(Devices devices, boolean listed, Duration wait) {
        this.devices = devices;
        this.listed = listed;
        this.wait = wait;
    }

    ClusterSpec spec() {
        return devices.cluster();
    }

    /** The towers as parsed, before the workers are asked (for checks and --dry-run). */
    Devices devices() {
        return devices;
    }

    /**
     * Starts the chief's server, waits for every worker and checks them; returns the towers.
     *
     * @param threads the chief's TensorFlow threads (0: TensorFlow's default)
     * @throws IllegalStateException in one line: a port in use, a worker unreachable or started with another spec
     * @throws IllegalArgumentException when --devices names a device a task does not have
     */
    Devices start(int threads) {
        ClusterSpec spec = spec();
        ClusterServer.start(spec, threads);
        ClusterServer.awaitOthers(spec, wait);
        List<String> names;
        try (Graph empty = new Graph(); Session session = Sessions.open(empty, threads, devices)) {
            names = TargetSession.deviceNames(session);
        } catch (RuntimeException e) {
            if (!fromTensorFlow(e)) throw e;
            // a worker that serves another task than its address's says "/job:worker/replica:0/task:K/... unknown device"
            Matcher m = TASK.matcher(e.getMessage() == null ? "" : e.getMessage());
            if (m.find() && e.getMessage().contains("unknown device")) {
                int k = Integer.parseInt(m.group(1));
                throw new IllegalStateException(notAs(spec, k, "TensorFlow: " + ClusterRunMessages.firstLine(e)), e);
            }
            throw new IllegalStateException("cannot list the cluster's devices through " + spec.localTarget() + ": "
                    + ClusterRunMessages.firstLine(e), e);
        }
        for (int k = 0; k < spec.size(); k++) {
            String prefix = "/job:" + ClusterSpec.JOB + "/replica:0/task:" + k + "/";
            if (names.stream().noneMatch(n -> n.startsWith(prefix))) {
                throw new IllegalStateException(notAs(spec, k, "the cluster's devices are " + names));
            }
        }
        List<Device> towers = new ArrayList<>();
        if (listed) {
            for (Device d : devices.list()) {
                String name = "/job:" + ClusterSpec.JOB + "/replica:0/task:" + d.task() + "/device:"
                        + (d.isGpu() ? "GPU:" : "CPU:") + d.index();
                if (!names.contains(name)) {
                    throw new IllegalArgumentException("--devices " + d + ": " + spec.describe(d.task()) + " has no such device (it has "
                            + names.stream().filter(n -> n.contains("/task:" + d.task() + "/")).toList() + ")");
                }
            }
            return devices;
        }
        for (int k = 0; k < spec.size(); k++) {
            boolean gpu = names.contains("/job:" + ClusterSpec.JOB + "/replica:0/task:" + k + "/device:GPU:0");
            towers.add(new Device(gpu ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU, 0, k));
        }
        devices = new Devices(towers, spec, devices.deadline());
        return devices;
    }

    private static String notAs(ClusterSpec spec, int k, String evidence) {
        return spec.describe(k) + " answers, but not as task " + k + " of this cluster (" + evidence
                + "): start it with this run's cluster file and --task " + k;
    }

    /** TensorFlow's exceptions: TensorFlowException and the few that extend Java's own (TFInvalidArgumentException). */
    private static boolean fromTensorFlow(RuntimeException e) {
        return e instanceof TensorFlowException || e.getClass().getPackageName().equals("org.tensorflow.exceptions");
    }

    /**
     * Runs {@code training}; a TensorFlow failure of a step (a lost worker, a deadline passed) becomes one line
     * naming the lost task, its address and the checkpoint a rerun resumes from.
     *
     * @param checkpoints the run's checkpoints, for the message
     */
    <T> T guard(Supplier<T> training, Checkpoints checkpoints) {
        try {
            return training.get();
        } catch (RuntimeException e) {
            if (!fromTensorFlow(e)) throw e;
            throw new IllegalStateException(lost(e, checkpoints), e);
        }
    }

    private String lost(RuntimeException e, Checkpoints checkpoints) {
        ClusterSpec spec = spec();
        String said = e.getMessage() == null ? "" : e.getMessage();
        Matcher named = TASK.matcher(said);
        if (said.contains("unknown device") && named.find()) { // its address answers, as another task of another spec
            return notAs(spec, Integer.parseInt(named.group(1)), "TensorFlow: " + ClusterRunMessages.firstLine(e));
        }
        List<Integer> down = new ArrayList<>();
        for (int k = 0; k < spec.size(); k++) {
            if (k != spec.task() && !ClusterServer.reachable(spec.address(k), 2000)) down.add(k);
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (down.isEmpty()) { // all answer: name the task TensorFlow's message names, if any
            Matcher m = TASK.matcher(message);
            while (m.find()) {
                int k = Integer.parseInt(m.group(1));
                if (k != spec.task() && k < spec.size() && !down.contains(k)) down.add(k);
            }
        }
        String what = down.isEmpty() ? "a step failed on the cluster"
                : "lost " + String.join(", ", down.stream().map(spec::describe).toList());
        String why = message.toLowerCase(Locale.ROOT).contains("deadline")
                ? "no answer within --step-deadline " + devices.deadline().toSeconds() + " s"
                : ClusterRunMessages.reason(message);
        String resume = checkpoints.latest().map(c -> "the latest checkpoint, step " + c.step() + " (" + c.dir() + "), is intact")
                .orElse("no checkpoint was written yet");
        return what + " (" + why + "); " + resume + ": start the worker again and rerun the same command to resume";
    }
}
