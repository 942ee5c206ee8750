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

    public Conv2D(Params params, String name, int k, int in, int out, boolean withBias) {
        this.kernel = params.normal(name + "_w", Shape.of(k, k, in, out), Params.INIT_STDDEV);
        this.bias = withBias ? params.filled(name + "_b", Shape.of(out), 0f) : null;
        this.precision = params.precision();
    }

    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> y = precision.conv2d(tf, x, Params.read(tf, kernel), STRIDE_2, "SAME");
        return bias == null ? y : tf.nn.biasAdd(y, Params.read(tf, bias));
    }
}
