package org.facegan.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Where a session run's time goes, from TensorFlow's own step stats (RunOptions FULL_TRACE): kernel time summed by
 * op type over {@code runs} runs. Kernels on the two cores overlap, so the sum can exceed the wall time.
 */
final class StepProfile {
    private final Map<String, Double> microsByType = new HashMap<>();
    private double wallMicros;
    private int runs;

    /** Runs {@code runner} (a fresh one each time) with tracing and adds its kernels' times. */
    void add(Graph graph, Supplier<Session.Runner> runner) {
        long t0 = System.nanoTime();
        try (Result r = runner.get().setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
                .build()).runAndFetchMetadata()) {
            wallMicros += (System.nanoTime() - t0) / 1e3;
            RunMetadata metadata = r.getMetadata().orElseThrow();
            for (var device : metadata.getStepStats().getDevStatsList()) {
                for (NodeExecStats node : device.getNodeStatsList()) {
                    microsByType.merge(typeOf(graph, node.getNodeName()), (double) node.getAllEndRelMicros(), Double::sum);
                }
            }
        }
        runs++;
    }

    private static String typeOf(Graph graph, String nodeName) {
        GraphOperation op = graph.operation(nodeName.contains(":") ? nodeName.substring(0, nodeName.indexOf(':')) : nodeName);
        return op == null ? nodeName : op.type();
    }

    /** The op types by total kernel time, largest first, with their share of the summed kernel time. */
    void print(String title, int top, PrintStream out) {
        double total = microsByType.values().stream().mapToDouble(Double::doubleValue).sum();
        out.printf(Locale.ROOT, "%s: %.1f ms wall, %.1f ms kernel time per run (%d runs)%n", title, wallMicros / runs / 1e3,
                total / runs / 1e3, runs);
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(microsByType.entrySet());
        sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        for (var e : sorted.subList(0, Math.min(top, sorted.size()))) {
            out.printf(Locale.ROOT, "  %-32s %8.2f ms %5.1f%%%n", e.getKey(), e.getValue() / runs / 1e3, 100 * e.getValue() / total);
        }
    }
}
