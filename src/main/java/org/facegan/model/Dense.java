package org.facegan.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Fully connected layer: x [N, in] -> x W (+ b) [N, out]. */
public final class Dense {
    private final Variable<TFloat32> weights;
    private final Variable<TFloat32> bias;
    private final Precision precision;
    private final SpectralNorm spectralNorm; // null: the weight as it is
    private final boolean rowStable;
    private final Params params;

    public Dense(Params params, String name, int in, int out, boolean withBias) {
        this(params, name, in, out, withBias, false);
    }

    /** @param spectral whether the layer computes with its weight divided by its largest singular value ({@link SpectralNorm}) */
    public Dense(Params params, String name, int in, int out, boolean withBias, boolean spectral) {
        this.weights = params.normal(name + "_w", Shape.of(in, out), Params.INIT_STDDEV);
        this.bias = withBias ? params.filled(name + "_b", Shape.of(out), 0f) : null;
        this.precision = params.precision();
        this.spectralNorm = spectral ? new SpectralNorm(params, name, weights) : null;
        this.rowStable = params.rowStableMatMul();
        this.params = params;
    }

    /** The layer followed by inference's batch norm folded into it: weights' columns times its gain, its shift the bias. */
    Operand<TFloat32> applyFolded(Ops tf, Operand<TFloat32> x, BatchNorm.Folded norm) {
        Operand<TFloat32> y = matMul(tf, x, params.inferenceWeight(tf, weights, tf.math.mul(weight(tf), norm.gain())));
        return tf.nn.biasAdd(y, params.inferenceWeight(tf, weights,
                norm.shiftAfter(tf, bias == null ? null : Params.read(tf, bias))));
    }

    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> y = matMul(tf, x, weight(tf));
        return bias == null ? y : tf.nn.biasAdd(y, Params.read(tf, bias));
    }

    /**
     * x · w. Row-stable (inference graphs): with a row of zeros appended, dropped again after the product. TensorFlow
     * 2.18's CPU MatMul takes a matrix-vector kernel for a single row, which sums in another order than its matrix
     * kernel (measured on an AMD EPYC: 768 of 1024 outputs differ in the last bits), while its convolutions give a row
     * the same bits in a batch of any size; so with the extra row a face is the same bits whether facegan serve ran it
     * alone or merged with others. The cost is one row more in a small product.
     */
    private Operand<TFloat32> matMul(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
        if (!rowStable) return precision.matMul(tf, x, w);
        Operand<TFloat32> zeroRow = tf.zeros(tf.constant(new long[] {1, x.shape().size(1)}), TFloat32.class);
        Operand<TFloat32> y = precision.matMul(tf, tf.concat(List.of(x, zeroRow), tf.constant(0)), w);
        return tf.stridedSlice(y, tf.constant(new int[] {0}), tf.constant(new int[] {-1}), tf.constant(new int[] {1}));
    }

    /** The layer's spectral normalisation, or null. */
    public SpectralNorm spectralNorm() {
        return spectralNorm;
    }

    private Operand<TFloat32> weight(Ops tf) {
        return spectralNorm == null ? Params.read(tf, weights) : spectralNorm.apply(tf);
    }
}
