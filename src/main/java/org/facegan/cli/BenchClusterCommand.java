package org.facegan.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.facegan.io.Host;
import org.facegan.model.ClusterServer;
import org.facegan.model.ClusterSpec;
import org.facegan.model.Devices;
import org.facegan.model.ModelConfig;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.train.StepDraws;
import org.facegan.train.TrainOptions;
import org.facegan.train.TrainingGraph;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code facegan bench cluster}: a training step over loopback gRPC (this process the chief, task 0, and a
 * {@code facegan worker} process it starts, task 1: one tower each) against the same two towers in one process
 * ({@code --devices cpu:0,cpu:1}), and the bytes each task receives per step.
 *
 * <p>Bytes are counted from the graph as TensorFlow partitions it: every op the step's two runs execute (the
 * targets' and fetches' ancestors), and for each tensor an op on one task reads from an op on another, the tensor's
 * size once per receiving task (the partitioner adds one send/receive pair per tensor and destination). An op without
 * a device counts as the chief's. (The step stats of a traced step do not report the receives' bytes.)
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time a training step on two loopback cluster tasks against two towers in one process, "
                + "count the bytes each task receives per step, and print one JSON line."},
        footer = {"", "Example:", "  facegan bench cluster --net faces64 --batch 64"})
final class BenchClusterCommand implements Callable<Integer> {
    @Option(names = "--net", defaultValue = "small", description = "Reference network (as bench train): ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    BenchTrainCommand.Net net;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (split over the two towers). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--steps", defaultValue = "5", description = "Timed steps of each. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws Exception {
        if (steps < 1) throw new IllegalArgumentException("--steps must be at least 1, found " + steps);
        ModelConfig m = BenchTrainCommand.reference(net);
        TrainOptions options = TrainOptions.builder().model(m).batch(batch).learningRate(2e-4f).mismatch(0f)
                .auxiliary(0f).generatorAverage(0f).threads(threadsOption.threads).seed(1).build();
        ClusterSpec spec = new ClusterSpec(List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort()), 0);
        Path clusterFile = Files.createTempFile("facegan-bench-cluster", ".json");
        Files.writeString(clusterFile, spec.toJson(), StandardCharsets.UTF_8);
        Process worker = startWorker(clusterFile);
        try {
            ClusterServer.start(spec, options.threads());
            ClusterServer.awaitOthers(spec, Duration.ofSeconds(120));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("net", net.name());
            out.put("batch", batch);
            out.put("local_step_ms", median(steps(options, Devices.parse("cpu:0,cpu:1"), null)));
            Map<Integer, Long> received = new LinkedHashMap<>();
            out.put("cluster_step_ms", median(steps(options, Devices.onCluster(spec, null, Duration.ofSeconds(600)), received)));
            out.put("received_bytes_per_step", received);
            out.put("bytes_counted_from", "the partitioned graph: each tensor read across tasks, once per receiving task, over the ancestors of the D run and the G+E run");
            out.put("host", Host.current().describe());
            out.put("load", Files.readString(Path.of("/proc/loadavg")).strip());
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(out));
        } finally {
            worker.destroyForcibly();
            worker.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(clusterFile);
        }
        return ExitCodes.OK;
    }

    /** Step times in ms (D run, then G+E run) after one untimed step; traces one more step into {@code received}. */
    private double[] steps(TrainOptions options, Devices devices, Map<Integer, Long> received) {
        ModelConfig m = options.model();
        int s = m.imageSize(), z = m.zDim(), b = batch, yDim = BenchTrainCommand.Y_DIM;
        SplittableRandom random = new SplittableRandom(1);
        float[] images = new float[b * s * s * 3], y = new float[b * yDim], zs = new float[b * z];
        for (int i = 0; i < images.length; i++) images[i] = (float) random.nextDouble(-1, 1);
        for (int i = 0; i < y.length; i++) y[i] = random.nextBoolean() ? 1f : 0f;
        StepDraws.gaussian(random, zs);
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, options, yDim, devices);
            try (Session session = Sessions.open(graph, options.threads(), devices);
                 TFloat32 x = Tensors.of(Shape.of(b, s, s, 3), images);
                 TFloat32 yt = Tensors.matrix(b, yDim, y);
                 TFloat32 zt = Tensors.matrix(b, z, zs)) {
                java.util.function.Function<RunOptions, List<RunMetadata>> step = trace -> {
                    List<RunMetadata> metadata = new ArrayList<>();
                    Session.Runner d = session.runner().feed(t.realImages, x).feed(t.realY, yt).feed(t.fakeZ, zt)
                            .feed(t.fakeY, yt).addTarget(t.dTrain).fetch(t.dLoss);
                    Session.Runner g = session.runner().feed(t.genZ, zt).feed(t.genY, yt).addTarget(t.gTrain)
                            .addTarget(t.eTrain).fetch(t.gLoss).fetch(t.eLoss);
                    for (Session.Runner r : List.of(d, g)) {
                        if (trace == null) {
                            r.run().close();
                        } else {
                            try (Result result = r.setOptions(trace).runAndFetchMetadata()) {
                                metadata.add(result.getMetadata().orElseThrow());
                            }
                        }
                    }
                    return metadata;
                };
                step.apply(null); // warm-up: graph registration, allocations
                double[] ms = new double[steps];
                for (int i = 0; i < steps; i++) {
                    long t0 = System.nanoTime();
                    step.apply(null);
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                if (received != null) {
                    received.putAll(crossTaskBytes(graph, List.of(t.dTrain.op().name(), t.dLoss.op().name(),
                            t.gTrain.op().name(), t.eTrain.op().name(), t.gLoss.op().name(), t.eLoss.op().name())));
                }
                return ms;
            }
        }
    }

    /** Bytes each task receives from the others when the ancestors of {@code roots} run (see the class). */
    static Map<Integer, Long> crossTaskBytes(Graph graph, List<String> roots) {
        Map<String, org.tensorflow.proto.NodeDef> nodes = new java.util.HashMap<>();
        for (var n : graph.toGraphDef().getNodeList()) nodes.put(n.getName(), n);
        java.util.Set<String> run = new java.util.HashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!run.add(name)) continue;
            for (String input : nodes.get(name).getInputList()) todo.push(opName(input));
        }
        Map<Integer, Long> received = new java.util.TreeMap<>();
        java.util.Set<String> sent = new java.util.HashSet<>();
        for (String name : run) {
            int to = task(nodes.get(name).getDevice());
            for (String input : nodes.get(name).getInputList()) {
                if (input.startsWith("^")) continue;
                int from = task(nodes.get(opName(input)).getDevice());
                String output = input.contains(":") ? input : input + ":0";
                if (from == to || !sent.add(output + "->" + to)) continue;
                var o = graph.operation(opName(input)).output(Integer.parseInt(output.substring(output.lastIndexOf(':') + 1)));
                long elements = 1;
                for (long d : o.shape().asArray()) elements *= Math.max(d, 1);
                received.merge(to, elements * switch (o.dataType()) {
                    case DT_DOUBLE, DT_INT64 -> 8;
                    case DT_HALF, DT_BFLOAT16 -> 2;
                    case DT_BOOL, DT_UINT8, DT_INT8 -> 1;
                    default -> 4;
                }, Long::sum);
            }
        }
        return received;
    }

    private static String opName(String input) {
        String n = input.startsWith("^") ? input.substring(1) : input;
        int colon = n.indexOf(':');
        return colon < 0 ? n : n.substring(0, colon);
    }

    private static int task(String device) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/task:(\\d+)").matcher(device);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static double median(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return Math.round(sorted[sorted.length / 2] * 10) / 10.0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code facegan worker} as task 1, from this process's own java and classpath; waits for its ready line. */
    private Process startWorker(Path clusterFile) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.facegan.cli.Facegan",
                "worker", "--cluster", clusterFile.toString(), "--task", "1", "--threads", "" + threadsOption.threads)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // the ready line, or null when it exits
        if (line == null) {
            p.destroyForcibly();
            throw new IllegalStateException("the bench's worker process exited before it was ready");
        }
        return p;
    }
}
