package org.facegan.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Nearest-neighbour x2 resize, then a 3 x 3 stride-1 convolution with SAME padding: [N, H, W, in] -> [N, 2H, 2W, out].
 * The upsampling of Odena et al. 2016 ("Deconvolution and Checkerboard Artifacts"): a k4 s2 transposed convolution
 * gives neighbouring output pixels different sets of kernel taps, which draws a checkerboard until training evens
 * the taps out; here every output pixel is the same 3 x 3 stencil over a smooth (piecewise constant) input.
 *
 * <p>The kernel is {@code NAME_resize_w} [3, 3, in, out] (a transposed convolution's is {@code NAME_w} [k, k, out, in]),
 * so a checkpoint of one kind never restores silently into the other.
 */
public final class ResizeConv2D {
    /** The convolution's kernel size after the resize. */
    public static final int KERNEL = 3;
    private static final List<Long> STRIDE_1 = List.of(1L, 1L, 1L, 1L);

    private final Variable<TFloat32> kernel;
    private final Variable<TFloat32> bias;
    private final int out;
    private final Precision precision;

    public ResizeConv2D(Params params, String name, int in, int out, boolean withBias) {
        this.kernel = params.normal(name + "_resize_w", Shape.of(KERNEL, KERNEL, in, out), Params.INIT_STDDEV);
        this.bias = withBias ? params.filled(name + "_resize_b", Shape.of(out), 0f) : null;
        this.out = out;
        this.precision = params.precision();
    }

    /** @param outSize the output's spatial size 2H (static, so later layers see full shapes) */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int outSize) {
        Operand<TFloat32> up = tf.image.resizeNearestNeighbor(x, tf.constant(new int[] {outSize, outSize}));
        Operand<TFloat32> y = precision.conv2d(tf, up, Params.read(tf, kernel), STRIDE_1, "SAME");
        y = tf.reshape(y, tf.constant(new long[] {-1, outSize, outSize, out}));
        return bias == null ? y : tf.nn.biasAdd(y, Params.read(tf, bias));
    }
}
