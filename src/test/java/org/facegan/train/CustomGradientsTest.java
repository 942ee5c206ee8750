package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * Each gradient {@link CustomGradients} registers agrees with central finite differences in float64, alone and in
 * the second-order gradient that needs it.
 */
class CustomGradientsTest {
    static final double[] X = {0.7, -1.3, 0.25, 2.0, -0.4};

    @Test
    void onesLikeHasAZeroGradientAsItsFiniteDifferencesSay() {
        CustomGradients.register();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat64> x = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(X.length)));
            // f(x) = Σ cᵢ · OnesLike(x)ᵢ: constant in x
            Operand<TFloat64> f = tf.sum(tf.math.mul(tf.constant(new double[] {1, 2, 3, 4, 5}), tf.onesLike(x)), tf.constant(0));
            Output<?> gradient = graph.addGradients(f.asOutput(), new Output<?>[] {x.asOutput()})[0];
            double[] analytic = run(session, x, X, gradient);
            double h = 1e-3;
            for (int i = 0; i < X.length; i++) {
                double fd = (value(session, x, shifted(i, h), f) - value(session, x, shifted(i, -h), f)) / (2 * h);
                assertThat(fd).isEqualTo(0.0);
                assertThat(analytic[i]).isEqualTo(0.0);
            }
        }
    }

    @Test
    void aSecondOrderGradientThroughOnesLikeMatchesFiniteDifferences() {
        CustomGradients.register();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat64> x = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(X.length)));
            // g = ∇ₓ Σ x³ = 3x², seeded with OnesLike(Σ x³); f = Σ g² = 9 Σ x⁴, so ∇f = 36 x³: its backward pass
            // differentiates the OnesLike that seeded g
            Operand<TFloat64> cubes = tf.sum(tf.math.pow(x, tf.constant(3.0)), tf.constant(0));
            @SuppressWarnings("unchecked")
            Operand<TFloat64> g = (Operand<TFloat64>) graph.addGradients(cubes.asOutput(), new Output<?>[] {x.asOutput()})[0];
            Operand<TFloat64> f = tf.sum(tf.math.square(g), tf.constant(0));
            assertThat(graph.operations()).toIterable().anyMatch(op -> op.type().equals("OnesLike"));
            Output<?> gradient = graph.addGradients(f.asOutput(), new Output<?>[] {x.asOutput()})[0];
            double[] analytic = run(session, x, X, gradient);
            double h = 1e-4;
            for (int i = 0; i < X.length; i++) {
                double fd = (value(session, x, shifted(i, h), f) - value(session, x, shifted(i, -h), f)) / (2 * h);
                // central differences: h²/6 · max|f'''| near xᵢ (f''' = 216 x along xᵢ) + the two values' rounding
                // (a few ulps of f, 5 terms) over 2h
                double xi = Math.abs(X[i]) + h, fx = value(session, x, X, f);
                double bound = h * h / 6 * 216 * xi + Tolerance.reorderedSum64(8, fx) / (2 * h);
                assertThat(analytic[i]).as("∂f/∂x%d", i).isCloseTo(36 * Math.pow(X[i], 3), within(Tolerance.reorderedSum64(8, 36 * Math.pow(xi, 3))));
                assertThat(fd).as("finite difference %d", i).isCloseTo(analytic[i], within(bound));
            }
        }
    }

    private static double[] shifted(int i, double h) {
        double[] x = X.clone();
        x[i] += h;
        return x;
    }

    private static double value(Session session, Placeholder<TFloat64> x, double[] at, Operand<TFloat64> f) {
        return run(session, x, at, f.asOutput())[0];
    }

    private static double[] run(Session session, Placeholder<TFloat64> x, double[] at, Output<?> out) {
        try (TFloat64 in = TFloat64.tensorOf(Shape.of(at.length), DataBuffers.of(at));
             Result r = session.runner().feed(x, in).fetch(out).run()) {
            TFloat64 t = (TFloat64) r.get(0);
            double[] v = new double[(int) t.size()];
            for (int i = 0; i < v.length; i++) v[i] = t.rank() == 0 ? t.getDouble() : t.getDouble(i);
            return v;
        }
    }
}
