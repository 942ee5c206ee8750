package org.facegan.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** k x k convolution with stride 2 and SAME padding: [N, H, W, in] -> [N, H/2, W/2, out]. */
public final class Conv2D {
    private static final List<Long> STRIDE_2 = List.of(1L, 2L, 2L, 1L);

    private final Variable<TFloat32> kernel;
    private final Variable<TFloat32> bias;
    private final Precision precision;
    private final SpectralNorm spectralNorm; // null: the weight as it is

    public Conv2D(Params params, String name, int k, int in, int out, boolean withBias) {
        this(params, name, k, in, out, withBias, false);
    }

    /** @param spectral whether the layer computes with its weight divided by its largest singular value ({@link SpectralNorm}) */
    public Conv2D(Params params, String name, int k, int in, int out, boolean withBias, boolean spectral) {
        this.kernel = params.normal(name + "_w", Shape.of(k, k, in, out), Params.INIT_STDDEV);
        this.bias = withBias ? params.filled(name + "_b", Shape.of(out), 0f) : null;
        this.precision = params.precision();
        this.spectralNorm = spectral ? new SpectralNorm(params, name, kernel) : null;
    }

    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> y = precision.conv2d(tf, x, weight(tf), STRIDE_2, "SAME");
        return bias == null ? y : tf.nn.biasAdd(y, Params.read(tf, bias));
    }

    /** The layer's spectral normalisation, or null. */
    public SpectralNorm spectralNorm() {
        return spectralNorm;
    }

    private Operand<TFloat32> weight(Ops tf) {
        return spectralNorm == null ? Params.read(tf, kernel) : spectralNorm.apply(tf);
    }
}
