package org.facegan.model;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * Spectral normalisation of one weight (Miyato et al. 2018, "Spectral Normalization for Generative Adversarial
 * Networks", Algorithm 1): the layer computes with W / σ(W), σ(W) being W's largest singular value, estimated by
 * power iteration with a vector u that persists between steps.
 *
 * <p>W is read as the matrix [m, n] of its last dimension (the output channels) against all the others (a conv
 * kernel [k, k, in, out] is [k·k·in, out]). Every call, in any mode, takes one power iteration from the stored u:
 * v = Wu / ‖Wu‖, u' = Wᵀv / ‖Wᵀv‖, σ = vᵀWu', with u' and v held constant under differentiation (the paper's
 * gradient); the call never writes u. Only training moves u: {@link #update}, which D's training step runs once after
 * each D update, stores one power iteration from u on the updated W. So inference and evaluation compute from the
 * stored u without changing it, and each training step advances the estimate by one iteration, as in the paper.
 */
public final class SpectralNorm {
    /** Added to a norm before dividing by it (the paper's l2normalize). */
    public static final float EPSILON = 1e-12f;

    private final Variable<TFloat32> weight;
    private final Variable<TFloat32> u;   // [n, 1]
    private final long columns;

    /** @param name the weight's layer name: u becomes PREFIX_NAME_sn_u */
    public SpectralNorm(Params params, String name, Variable<TFloat32> weight) {
        this.weight = weight;
        this.columns = weight.shape().size(weight.shape().numDimensions() - 1);
        this.u = params.statisticNormal(name + "_sn_u", Shape.of(columns, 1));
    }

    /** The power-iteration vector u [n, 1] (for tests). */
    public Variable<TFloat32> u() {
        return u;
    }

    /** W / σ(W), shaped as W, with σ from one power iteration from the stored u. */
    public Operand<TFloat32> apply(Ops tf) {
        Operand<TFloat32> w = Params.read(tf, weight);
        return tf.math.div(w, estimate(tf, w, Params.read(tf, u)).sigma());
    }

    /** σ(W) as {@link #apply} estimates it: a scalar. */
    public Operand<TFloat32> sigma(Ops tf) {
        return estimate(tf, Params.read(tf, weight), Params.read(tf, u)).sigma();
    }

    /** u ← one power iteration from u on W's current value (run once per D update, after it). */
    public Op update(Ops tf) {
        return tf.assign(u, estimate(tf, Params.read(tf, weight), Params.read(tf, u)).u());
    }

    /** One power iteration: the new u [n, 1] and σ = vᵀWu [scalar]. */
    record Estimate(Operand<TFloat32> u, Operand<TFloat32> sigma) {}

    private Estimate estimate(Ops tf, Operand<TFloat32> w, Operand<TFloat32> u) {
        Operand<TFloat32> matrix = tf.reshape(w, tf.constant(new long[] {-1, columns}));             // [m, n]
        Operand<TFloat32> v = tf.stopGradient(normalised(tf, tf.linalg.matMul(matrix, u)));         // [m, 1]
        Operand<TFloat32> next = tf.stopGradient(normalised(tf,
                tf.linalg.matMul(matrix, v, MatMul.transposeA(true))));                             // [n, 1]
        Operand<TFloat32> sigma = tf.sum(tf.math.mul(v, tf.linalg.matMul(matrix, next)),
                tf.constant(new int[] {0, 1}));                                                      // []
        return new Estimate(next, sigma);
    }

    private static Operand<TFloat32> normalised(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> norm = tf.math.sqrt(tf.sum(tf.math.square(x), tf.constant(new int[] {0, 1})));
        return tf.math.div(x, tf.math.add(norm, tf.constant(EPSILON)));
    }
}
