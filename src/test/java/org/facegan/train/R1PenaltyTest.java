package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.facegan.model.Discriminator;
import org.facegan.model.DiscriminatorNorm;
import org.facegan.model.Mode;
import org.facegan.model.ModelConfig;
import org.facegan.model.Params;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.facegan.model.Towers;
import org.facegan.testing.Fixtures;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The R1 penalty E‖∇ₓD(x, y)‖² of a spectrally normalised D, and its gradient with respect to D's weights (the
 * second-order gradient D's update takes), against central finite differences.
 */
class R1PenaltyTest {
    static final int B = 4, Y = 3;
    static final ModelConfig MODEL = Fixtures.TINY.withDNorm(DiscriminatorNorm.SPECTRAL);

    @Test
    void theSecondOrderGradientThroughDsLayerKindsMatchesFiniteDifferencesInFloat64() {
        // D's ops in float64: conv k4 s2 + bias -> leaky ReLU -> conv k4 s2 -> leaky ReLU -> flatten -> concat y
        // -> dense + bias -> leaky ReLU -> dense + bias; R1 through it takes Conv2DBackpropInput's, LeakyReluGrad's,
        // MatMul's, Slice's (the concatenation's gradient) and OnesLike's gradients
        int s = 8;
        SplittableRandom random = new SplittableRandom(23);
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            long[][] shapes = {{4, 4, 3, 4}, {4}, {4, 4, 4, 8}, {2 * 2 * 8 + Y, 6}, {6}, {6, 1}, {1}};
            List<Variable<TFloat64>> w = new java.util.ArrayList<>();
            for (long[] shape : shapes) {
                double[] init = new double[(int) Shape.of(shape).size()];
                for (int i = 0; i < init.length; i++) init[i] = random.nextGaussian() * 0.3;
                w.add(tf.variable(tf.constant(Shape.of(shape), org.tensorflow.ndarray.buffer.DataBuffers.of(init))));
            }
            double[] images = new double[B * s * s * 3], ys = new double[B * Y];
            for (int i = 0; i < images.length; i++) images[i] = random.nextDouble(-1, 1);
            for (int i = 0; i < ys.length; i++) ys[i] = random.nextInt(2);
            Operand<TFloat64> x = tf.constant(Shape.of(B, s, s, 3), org.tensorflow.ndarray.buffer.DataBuffers.of(images));
            Operand<TFloat64> y = tf.constant(Shape.of(B, Y), org.tensorflow.ndarray.buffer.DataBuffers.of(ys));
            List<Long> stride2 = List.of(1L, 2L, 2L, 1L);
            Operand<TFloat64> h = tf.nn.leakyRelu(tf.nn.biasAdd(tf.nn.conv2d(x, w.get(0), stride2, "SAME"), w.get(1)),
                    org.tensorflow.op.nn.LeakyRelu.alpha(0.2f));
            h = tf.nn.leakyRelu(tf.nn.conv2d(h, w.get(2), stride2, "SAME"), org.tensorflow.op.nn.LeakyRelu.alpha(0.2f));
            h = tf.concat(List.of(tf.reshape(h, tf.constant(new long[] {-1, 2 * 2 * 8})), y), tf.constant(1));
            h = tf.nn.leakyRelu(tf.nn.biasAdd(tf.linalg.matMul(h, w.get(3)), w.get(4)), org.tensorflow.op.nn.LeakyRelu.alpha(0.2f));
            Operand<TFloat64> logits = tf.nn.biasAdd(tf.linalg.matMul(h, w.get(5)), w.get(6));
            Operand<TFloat64> penalty = R1Penalty.meanSquaredGradient(tf, logits, x);
            Output<?>[] gradients = graph.addGradients(penalty.asOutput(), w.stream().map(Variable::asOutput).toArray(Output[]::new));
            Placeholder<TFloat64> value = tf.placeholder(TFloat64.class);
            double p0 = read64(session, penalty.asOutput())[0];
            assertThat(p0).isPositive();
            for (int k = 0; k < w.size(); k++) {
                double[] w0 = read64(session, w.get(k).asOutput()), g = read64(session, gradients[k]);
                double[] e = new double[w0.length];
                double analytic = 0, terms = 0;
                for (int i = 0; i < e.length; i++) {
                    e[i] = random.nextGaussian();
                    analytic += g[i] * e[i];
                    terms += Math.abs(g[i] * e[i]);
                }
                Op set = tf.assign(w.get(k), value);
                // h small enough that no leaky ReLU crosses its kink (∇ₓD jumps there), large against float64 rounding
                double step = 1e-6;
                double[] fd = new double[2];
                for (int half = 0; half < 2; half++) {
                    double hh = step / (1 << half);
                    fd[half] = (penalty64(session, set, value, w0, e, hh, penalty) - penalty64(session, set, value, w0, e, -hh, penalty)) / (2 * hh);
                }
                penalty64(session, set, value, w0, e, 0, penalty);
                // rounding: each penalty within 2·n·u₆₄ of its magnitude (n = B·s·s·3 squares summed, each from sums of
                // a few hundred products), over 2h; truncation from halving h as in finiteDifferenceBound
                long n = (long) B * s * s * 3 * 256;
                double bound = 2 * Tolerance.reorderedSum64(n, p0) / (2 * step) + 2 * 4.0 / 3 * Math.abs(fd[0] - fd[1])
                        + Tolerance.reorderedSum64(g.length, terms);
                System.out.printf("float64 R1 gradient, weight %d: analytic %.12e, finite difference %.12e, |difference| %.2e,"
                        + " bound %.2e%n", k, analytic, fd[0], Math.abs(analytic - fd[0]), bound);
                // biases: ∇ₓD does not depend on them between kinks, so both sides are 0; kernels: a sharp bound
                if (shapes[k].length == 1) assertThat(analytic).as("∂R1/∂b%d · e", k).isZero();
                else assertThat(bound).as("a bound that tests something, weight %d", k).isLessThan(1e-3 * Math.abs(analytic));
                assertThat(analytic).as("∂R1/∂w%d · e", k).isCloseTo(fd[0], org.assertj.core.api.Assertions.within(bound));
            }
        }
    }

    private static double penalty64(Session session, Op set, Placeholder<TFloat64> value, double[] w0, double[] e,
                                    double h, Operand<TFloat64> penalty) {
        double[] w = new double[w0.length];
        for (int i = 0; i < w.length; i++) w[i] = w0[i] + h * e[i];
        try (TFloat64 t = TFloat64.tensorOf(set.op().output(0).shape(), org.tensorflow.ndarray.buffer.DataBuffers.of(w))) {
            session.runner().feed(value, t).addTarget(set).run().close();
        }
        return read64(session, penalty.asOutput())[0];
    }

    private static double[] read64(Session session, Output<?> out) {
        try (Result r = session.runner().fetch(out).run()) {
            TFloat64 t = (TFloat64) r.get(0);
            double[] v = new double[(int) t.size()];
            t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(v, false, false));
            return v;
        }
    }

    @Test
    void thePenaltyOfTheSpectralDAndItsGradientInTheLogitWeightMatchFiniteDifferences() {
        int s = MODEL.imageSize();
        SplittableRandom random = new SplittableRandom(17);
        float[] images = new float[B * s * s * 3], ys = new float[B * Y];
        for (int i = 0; i < images.length; i++) images[i] = (float) random.nextDouble(-1, 1);
        for (int i = 0; i < ys.length; i++) ys[i] = random.nextInt(2);
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Discriminator d = new Discriminator(new Params(tf, "D", 4), MODEL, Y);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
            Placeholder<TFloat32> y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, Y)));
            Operand<TFloat32> logits = d.apply(tf, x, y, Mode.TRAIN).logits();
            Operand<TFloat32> penalty = R1Penalty.meanSquaredGradient(tf, logits, Towers.of(x));
            Operand<TFloat32> logitSum = tf.sum(logits, tf.constant(new int[] {0, 1}));
            List<Op> iteration = d.powerIteration(tf);
            // the logit layer's weight: D(x, y) is linear in it, no leaky ReLU follows it, so ‖∇ₓD‖² is smooth in it
            // and float32 finite differences can resolve its gradient. Earlier weights move thousands of leaky
            // ReLUs' kinks, where ∇ₓD jumps: their second-order gradient is checked in float64 below.
            List<Variable<TFloat32>> weights = d.params().trainable().stream()
                    .filter(v -> v.op().name().equals("D_logit_w")).toList();
            Output<?>[] wrt = weights.stream().map(Variable::asOutput).toArray(Output[]::new);
            Output<?>[] gradients = graph.addGradients(penalty.asOutput(), wrt);
            Placeholder<TFloat32> value = tf.placeholder(TFloat32.class);
            try (Session session = Sessions.open(graph, 1);
                 TFloat32 xs = Tensors.of(Shape.of(B, s, s, 3), images); TFloat32 yt = Tensors.matrix(B, Y, ys)) {
                // converge the singular vectors first: the paper's gradient holds u and v constant, which is the exact
                // gradient of σ only at the singular vectors (there the terms from moving them vanish)
                for (int n = 0; n < 300; n++) {
                    Session.Runner r = session.runner();
                    iteration.forEach(r::addTarget);
                    r.run().close();
                }
                // the penalty itself is ‖∇ₓΣD‖²/B (each face's gradient its own: no batch norm), and that gradient
                // agrees with finite differences of ΣD along a random direction e
                float[] p = fetch(session, xs, yt, x, y, penalty);
                assertThat(p[0]).as("R1 penalty").isPositive();
                float[] direction = new float[images.length];
                for (int i = 0; i < direction.length; i++) direction[i] = (float) random.nextGaussian();
                double h = 1e-2;
                double slope = (sumAt(session, x, y, yt, logitSum, images, direction, h)
                        - sumAt(session, x, y, yt, logitSum, images, direction, -h)) / (2 * h);
                Output<?> inputGradient = graph.addGradients(logitSum.asOutput(), new Output<?>[] {x.asOutput()})[0];
                float[] grad = fetch(session, xs, yt, x, y, inputGradient);
                double dot = 0, norm2 = 0, magnitude = 0;
                for (int i = 0; i < grad.length; i++) {
                    dot += grad[i] * direction[i];
                    norm2 += (double) grad[i] * grad[i];
                    magnitude += Math.abs(grad[i] * direction[i]);
                }
                assertThat(norm2 / B).as("penalty = ‖∇ₓΣD‖²/B")
                        .isCloseTo(p[0], org.assertj.core.api.Assertions.within(Tolerance.reorderedSum(grad.length, norm2 / B)));
                double sumScale = Math.abs(fetch(session, xs, yt, x, y, logitSum)[0]) + 1;
                double slopeBound = finiteDifferenceBound(h, sumScale, B * s * s * 3L, slope,
                        (sumAt(session, x, y, yt, logitSum, images, direction, h / 2)
                                - sumAt(session, x, y, yt, logitSum, images, direction, -h / 2)) / h)
                        + Tolerance.reorderedSum(grad.length, magnitude);
                assertThat(dot).as("∇ₓΣD · e against its finite difference").isCloseTo(slope,
                        org.assertj.core.api.Assertions.within(slopeBound));

                // its gradient with respect to each weight, along a random direction of the weight's own scale
                for (int k = 0; k < weights.size(); k++) {
                    Variable<TFloat32> w = weights.get(k);
                    float[] w0 = fetch(session, xs, yt, x, y, w);
                    float[] g = fetch(session, xs, yt, x, y, gradients[k]);
                    double scale = 0;
                    for (float v : w0) scale = Math.max(scale, Math.abs(v));
                    float[] e = new float[w0.length];
                    double analytic = 0, terms = 0;
                    for (int i = 0; i < e.length; i++) {
                        e[i] = (float) (random.nextGaussian() * scale);
                        analytic += g[i] * e[i];
                        terms += Math.abs(g[i] * e[i]);
                    }
                    Op set = tf.assign(w, value);
                    double step = 1e-2;
                    double[] fd = new double[2];
                    for (int half = 0; half < 2; half++) {
                        double hh = step / (1 << half);
                        double plus = penaltyAt(session, set, value, w0, e, hh, xs, yt, x, y, penalty);
                        double minus = penaltyAt(session, set, value, w0, e, -hh, xs, yt, x, y, penalty);
                        fd[half] = (plus - minus) / (2 * hh);
                    }
                    penaltyAt(session, set, value, w0, e, 0, xs, yt, x, y, penalty); // restore
                    double bound = finiteDifferenceBound(step, p[0], B * s * s * 3L, fd[0], fd[1])
                            + Tolerance.reorderedSum(g.length, terms);
                    System.out.printf("R1 gradient along a random direction, %s: analytic %.6e, finite difference %.6e"
                            + " (h/2: %.6e), |difference| %.2e, bound %.2e%n", w.op().name(), analytic, fd[0], fd[1],
                            Math.abs(analytic - fd[0]), bound);
                    assertThat(bound).as("a bound that tests something, %s", w.op().name()).isLessThan(0.1 * Math.abs(analytic));
                    assertThat(analytic).as("∂R1/∂%s · e", w.op().name()).isCloseTo(fd[0],
                            org.assertj.core.api.Assertions.within(bound));
                }
            }
        }
    }

    /**
     * Central differences f(h) − f(−h) over 2h miss the derivative by rounding, each value within
     * {@link Tolerance#reorderedComputation} of its scale, over 2h; and by truncation, c·h², which halving h reduces
     * by 4: |D(h) − D(h/2)| = ¾c·h², so c·h² ≤ 4/3 of the difference (doubled for safety).
     */
    static double finiteDifferenceBound(double h, double valueScale, long terms, double atH, double atHalfH) {
        double rounding = 2 * Tolerance.reorderedComputation(terms) * Math.abs(valueScale) / (2 * h);
        double truncation = 2 * 4.0 / 3 * Math.abs(atH - atHalfH);
        return rounding + truncation;
    }

    private static double sumAt(Session session, Placeholder<TFloat32> x, Placeholder<TFloat32> y, TFloat32 yt,
                                Operand<TFloat32> sum, float[] images, float[] direction, double h) {
        float[] moved = new float[images.length];
        for (int i = 0; i < moved.length; i++) moved[i] = (float) (images[i] + h * direction[i]);
        try (TFloat32 xs = Tensors.of(Shape.of(B, (int) x.shape().get(1), (int) x.shape().get(2), 3), moved)) {
            return fetch(session, xs, yt, x, y, sum)[0];
        }
    }

    private static double penaltyAt(Session session, Op set, Placeholder<TFloat32> value, float[] w0, float[] e, double h,
                                    TFloat32 xs, TFloat32 yt, Placeholder<TFloat32> x, Placeholder<TFloat32> y,
                                    Operand<TFloat32> penalty) {
        float[] w = new float[w0.length];
        for (int i = 0; i < w.length; i++) w[i] = (float) (w0[i] + h * e[i]);
        try (TFloat32 t = Tensors.of(set.op().output(0).shape(), w)) {
            session.runner().feed(value, t).addTarget(set).run().close();
        }
        return fetch(session, xs, yt, x, y, penalty)[0];
    }

    private static float[] fetch(Session session, TFloat32 xs, TFloat32 yt, Placeholder<TFloat32> x,
                                 Placeholder<TFloat32> y, Output<?> out) {
        try (Result r = session.runner().feed(x, xs).feed(y, yt).fetch(out).run()) {
            return Tensors.read((TFloat32) r.get(0));
        }
    }

    private static float[] fetch(Session session, TFloat32 xs, TFloat32 yt, Placeholder<TFloat32> x,
                                 Placeholder<TFloat32> y, Operand<?> out) {
        return fetch(session, xs, yt, x, y, out.asOutput());
    }
}
