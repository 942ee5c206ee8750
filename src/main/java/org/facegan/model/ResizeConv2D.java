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
public final class ResizeConv2D implements Upsampler {
    /** The convolution's kernel size after the resize. */
    public static final int KERNEL = 3;
    private static final List<Long> STRIDE_1 = List.of(1L, 1L, 1L, 1L);

    private final Variable<TFloat32> kernel;
    private final Variable<TFloat32> bias;
    private final int out;
    private final Precision precision;
    private final Params params;

    public ResizeConv2D(Params params, String name, int in, int out, boolean withBias) {
        this.kernel = params.normal(name + "_resize_w", Shape.of(KERNEL, KERNEL, in, out), Params.INIT_STDDEV);
        this.bias = withBias ? params.filled(name + "_resize_b", Shape.of(out), 0f) : null;
        this.out = out;
        this.precision = params.precision();
        this.params = params;
    }

    /** @param outSize the output's spatial size 2H (static, so later layers see full shapes) */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int outSize) {
        return apply(tf, x, outSize, Params.read(tf, kernel), bias == null ? null : Params.read(tf, bias));
    }

    /** The same in any mode: one form only (the stride-1 convolution after the resize is not tuned). */
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int outSize, Mode mode) {
        return apply(tf, x, outSize);
    }

    /** The layer followed by inference's batch norm {@code norm}: output channels times its gain, its shift as bias. */
    @Override
    public Operand<TFloat32> applyFolded(Ops tf, Operand<TFloat32> x, int outSize, BatchNorm.Folded norm) {
        Operand<TFloat32> w = tf.math.mul(Params.read(tf, kernel), tf.reshape(norm.gain(), tf.constant(new long[] {1, 1, 1, -1})));
        return apply(tf, x, outSize, params.inferenceWeight(tf, kernel, w),
                params.inferenceWeight(tf, kernel, norm.shiftAfter(tf, bias == null ? null : Params.read(tf, bias))));
    }

    private Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int outSize, Operand<TFloat32> w, Operand<TFloat32> b) {
        Operand<TFloat32> up = tf.image.resizeNearestNeighbor(x, tf.constant(new int[] {outSize, outSize}));
        Operand<TFloat32> y = precision.conv2d(tf, up, w, STRIDE_1, "SAME");
        y = tf.reshape(y, tf.constant(new long[] {-1, outSize, outSize, out}));
        return b == null ? y : tf.nn.biasAdd(y, b);
    }
}
