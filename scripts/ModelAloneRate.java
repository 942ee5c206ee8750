import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.facegan.io.Host;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The most faces a second a bundle's {@code serving_default} makes on this machine at a given batch, with no HTTP, no
 * JSON and nothing else in the process: the ceiling of any server of that bundle here (docs/guide.md, "The ceiling of
 * two cores"). Each round times every batch size in turn (at least 20 calls, 640 rows); the first round is a
 * warm-up. Prints the medians: wall time and process CPU time a row, and rows a second.
 *
 *     java -cp "target/facegan.jar:target/lib/*" scripts/ModelAloneRate.java export/NAME/VERSION [16,32] [ROUNDS=3]
 */
public class ModelAloneRate {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ModelAloneRate.java BUNDLE_DIR [BATCHES (16,32)] [ROUNDS (3)]");
            System.exit(2);
        }
        int[] batches = Arrays.stream((args.length > 1 ? args[1] : "16,32").split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (SavedModelBundle bundle = SavedModelBundle.load(args[0], "serve")) {
            SessionFunction generate = bundle.function("serving_default");
            Map<String, Signature.TensorDescription> inputs = generate.signature().getInputs();
            Map<Integer, List<double[]>> timings = new TreeMap<>();
            Random random = new Random(1);
            for (int round = 0; round <= rounds; round++) {
                for (int n : batches) {
                    Map<String, float[]> values = new HashMap<>();
                    inputs.forEach((name, d) -> {
                        float[] v = new float[n * (int) d.shape.size(1)];
                        for (int i = 0; i < v.length; i++) v[i] = name.equals("y") ? random.nextInt(2) : (float) random.nextGaussian();
                        values.put(name, v);
                    });
                    int calls = Math.max(20, 640 / n);
                    long cpu0 = os.getProcessCpuTime(), wall0 = System.nanoTime();
                    for (int k = 0; k < calls; k++) {
                        Map<String, Tensor> feeds = new HashMap<>();
                        values.forEach((name, v) -> feeds.put(name,
                                TFloat32.tensorOf(Shape.of(n, v.length / n), DataBuffers.of(v))));
                        try (Result out = generate.call(feeds)) {
                            // the answer's tensors are closed with the result
                        } finally {
                            feeds.values().forEach(Tensor::close);
                        }
                    }
                    double rows = (double) calls * n;
                    double[] t = {(System.nanoTime() - wall0) / 1e6 / rows, (os.getProcessCpuTime() - cpu0) / 1e6 / rows};
                    if (round > 0) timings.computeIfAbsent(n, key -> new ArrayList<>()).add(t);
                }
            }
            System.out.printf("%s; %d rounds, medians%n", Host.current().describe(), rounds);
            timings.forEach((n, ts) -> {
                double wall = median(ts, 0), cpuMs = median(ts, 1);
                System.out.printf("batch %3d: %6.0f rows/s, wall %.3f ms a row, CPU %.3f ms a row%n", n, 1000 / wall, wall, cpuMs);
            });
        }
    }

    private static double median(List<double[]> ts, int column) {
        double[] v = ts.stream().mapToDouble(t -> t[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
