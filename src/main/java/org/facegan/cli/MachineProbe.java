package org.facegan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.facegan.model.Sessions;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/** What the machine itself can do, measured in this process: the benchmark's ceiling and memory. */
final class MachineProbe {
    private MachineProbe() {}

    /**
     * GFLOP/s of an n×n float32 matmul in TensorFlow with default threads (2n³ FLOPs), median of {@code runs}: the
     * practical ceiling a convolution network's training can approach on this CPU.
     */
    static double matmulGflops(int n, int runs) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> a = tf.variable(tf.random.randomUniform(tf.constant(new long[] {n, n}), TFloat32.class,
                    RandomUniform.seed(1L)));
            Operand<TFloat32> b = tf.variable(tf.random.randomUniform(tf.constant(new long[] {n, n}), TFloat32.class,
                    RandomUniform.seed(2L)));
            // reduce to a scalar so the timing is the matmul, not a copy of n² floats back to Java
            Operand<TFloat32> product = tf.reduceSum(tf.linalg.matMul(a, b), tf.constant(new int[] {0, 1}));
            try (Session session = Sessions.open(graph, 0)) {
                double[] seconds = new double[runs];
                for (int i = -2; i < runs; i++) {
                    long t0 = System.nanoTime();
                    session.runner().fetch(product).run().close();
                    if (i >= 0) seconds[i] = (System.nanoTime() - t0) / 1e9;
                }
                Arrays.sort(seconds);
                return 2.0 * n * n * n / seconds[runs / 2] / 1e9;
            }
        }
    }

    /** The process's peak resident memory in MiB (VmHWM), or -1 where /proc is not there. */
    static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return -1;
    }
}
