package org.facegan.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.facegan.model.ModelConfig;
import org.facegan.model.Sessions;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * The convolutions of one training step (a D update and a G update, as {@code bench} times it), each kernel run
 * alone with the whole machine, one after another. A step near that sum is its convolutions, and only faster kernels
 * or less arithmetic make it faster; what a step takes beyond it is everything else (batch norm, activations,
 * Adam, scheduling, session calls). A step can come out a little below it: it runs two kernels at a time where
 * it can, which suits these small kernels better than one kernel on both cores.
 */
final class ConvolutionsAlone {
    private ConvolutionsAlone() {}

    /** A stride-2 layer: D's convolution from {@code inSize}, or G's transposed convolution to {@code 2 inSize}. */
    record Layer(boolean transposed, int inSize, int in, int out) {
        /** Forward FLOPs per image (2 per multiply-add), as {@link org.facegan.model.Flops} counts them. */
        double forwardFlops(int k) {
            long pixels = transposed ? (long) inSize * inSize : (long) inSize * inSize / 4;
            return 2.0 * k * k * in * out * pixels;
        }
    }

    /** Median milliseconds of one layer's three kernels, each run on its own. */
    record Kernels(double forward, double inputGradient, double filterGradient) {}

    /**
     * D's convolutions, image first, then G's transposed convolutions, from its 4x4 start to the image (G's 3x3 RGB
     * layer after a hidden layer at full resolution, a stride-1 convolution, is not among them).
     */
    static List<Layer> layers(ModelConfig m) {
        List<Layer> layers = new ArrayList<>();
        int in = 3, size = m.imageSize();
        for (int i = 0; i < m.stages(); i++) {
            int out = m.ndf() << i;
            layers.add(new Layer(false, size, in, out));
            in = out;
            size /= 2;
        }
        int channels = m.ngf() << (m.stages() - 1);
        for (int s = 4; s < m.imageSize(); s *= 2) {
            int out = 2 * s == m.imageSize() ? (m.gTopChannels() > 0 ? m.gTopChannels() : 3) : channels / 2;
            layers.add(new Layer(true, s, channels, out));
            channels = out;
        }
        return layers;
    }

    /** Every layer's kernels, and the step's convolutions summed from them. */
    record Measured(List<Layer> layers, List<Kernels> kernels, double stepMillis) {
        /** One line per layer: its kernels' milliseconds and GFLOP/s (each kernel does the forward's FLOPs). */
        void print(int k, int batch, PrintStream out) {
            out.printf(Locale.ROOT, "convolutions alone, batch %d (ms and GFLOP/s of each kernel): %.1f ms per step%n",
                    batch, stepMillis);
            for (int i = 0; i < layers.size(); i++) {
                Layer l = layers.get(i);
                Kernels t = kernels.get(i);
                double gflop = l.forwardFlops(k) * batch / 1e9;
                out.printf(Locale.ROOT, "  %-10s %2dx%-2d %3d->%-3d forward %6.2f ms %5.0f  input grad %6.2f ms %5.0f"
                                + "  filter grad %6.2f ms %5.0f%n", l.transposed() ? "G convT" : "D conv", l.inSize(),
                        l.inSize(), l.in(), l.out(), t.forward(), gflop / t.forward() * 1e3, t.inputGradient(),
                        gflop / t.inputGradient() * 1e3, t.filterGradient(), gflop / t.filterGradient() * 1e3);
            }
        }
    }

    /**
     * Times every layer's kernels at {@code batch} and sums a step's convolutions: the D phase runs G forward and
     * D forward and backward on the real and the fake batch (D's first layer needs no input gradient); the G phase
     * runs G forward and backward and D forward with its input gradients only. With {@code reuseFakes} G runs
     * forward once, in the D phase ({@code train --reuse-fakes}).
     */
    static Measured measure(ModelConfig m, int batch, int runs, boolean reuseFakes) {
        List<Layer> layers = layers(m);
        List<Kernels> kernels = new ArrayList<>();
        double ms = 0;
        boolean first = true;
        for (Layer layer : layers) {
            Kernels k = time(layer, m.kernel(), batch, runs);
            kernels.add(k);
            if (layer.transposed()) {
                ms += (reuseFakes ? 1 : 2) * k.forward() + k.inputGradient() + k.filterGradient();
            } else {
                ms += 2 * (k.forward() + k.filterGradient() + (first ? 0 : k.inputGradient()))
                        + k.forward() + k.inputGradient();
                first = false;
            }
        }
        return new Measured(layers, kernels, ms);
    }

    static Kernels time(Layer layer, int k, int batch, int runs) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            List<Long> stride2 = List.of(1L, 2L, 2L, 1L);
            int outSize = layer.transposed() ? layer.inSize() * 2 : layer.inSize() / 2;
            Operand<TFloat32> x = random(tf, Shape.of(batch, layer.inSize(), layer.inSize(), layer.in()), 1);
            Operand<TFloat32> w = random(tf, layer.transposed()
                    ? Shape.of(k, k, layer.out(), layer.in()) : Shape.of(k, k, layer.in(), layer.out()), 2);
            Operand<TFloat32> dy = random(tf, Shape.of(batch, outSize, outSize, layer.out()), 3);
            Operand<TFloat32> y = layer.transposed()
                    ? tf.nn.conv2dBackpropInput(tf.constant(new int[] {batch, outSize, outSize, layer.out()}), w, x,
                            stride2, "SAME")
                    : tf.nn.conv2d(x, w, stride2, "SAME");
            // the backward kernels as training builds them: TensorFlow's gradients of y with dy flowing in
            Output<?>[] grads = graph.addGradients("grad", new Output<?>[] {y.asOutput()},
                    new Output<?>[] {x.asOutput(), w.asOutput()}, new Output<?>[] {dy.asOutput()});
            try (Session session = Sessions.open(graph, 0)) {
                session.runner().addTarget(x).addTarget(w).addTarget(dy).run();
                return new Kernels(median(session, y, runs), median(session, grads[0], runs),
                        median(session, grads[1], runs));
            }
        }
    }

    private static Operand<TFloat32> random(Ops tf, Shape shape, long seed) {
        return tf.variable(tf.random.randomUniform(tf.constant(shape.asArray()), TFloat32.class,
                RandomUniform.seed(seed)));
    }

    /** Runs only the op behind {@code output} (its inputs are variables, already set), nothing fetched. */
    private static double median(Session session, Operand<?> output, int runs) {
        double[] ms = new double[runs];
        for (int i = -2; i < runs; i++) {
            long t0 = System.nanoTime();
            session.runner().addTarget(output).run();
            if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }
}
