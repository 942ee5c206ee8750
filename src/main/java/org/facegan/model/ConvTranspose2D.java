package org.facegan.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * k x k transposed convolution with stride 2 and SAME padding: [N, H, W, in] -> [N, 2H, 2W, out]. Built on
 * Conv2DBackpropInput, the op the probe found fastest on CPU (faster than resize + conv).
 */
public final class ConvTranspose2D {
    private static final List<Long> STRIDE_2 = List.of(1L, 2L, 2L, 1L);
    private static final List<Long> STRIDE_1 = List.of(1L, 1L, 1L, 1L);

    private final Variable<TFloat32> kernel;
    private final Variable<TFloat32> bias;
    private final int k;
    private final int out;
    private final Precision precision;

    public ConvTranspose2D(Params params, String name, int k, int in, int out, boolean withBias) {
        this.kernel = params.normal(name + "_w", Shape.of(k, k, out, in), Params.INIT_STDDEV);
        this.bias = withBias ? params.filled(name + "_b", Shape.of(out), 0f) : null;
        this.k = k;
        this.out = out;
        this.precision = params.precision();
    }

    /** @param outSize the output's spatial size 2H (static, so later layers see full shapes) */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int outSize) {
        Operand<TFloat32> y = precision.conv2dTranspose(tf, shapeLike(tf, x, outSize, out), Params.read(tf, kernel), x,
                STRIDE_2, "SAME");
        return biased(tf, y, outSize);
    }

    /** Whether {@link #applySubPixel} can compute this layer: a 4x4 kernel. */
    public boolean hasSubPixelForm() {
        return k == 4;
    }

    /**
     * The same function as {@link #apply}, computed as a stride-1 transposed convolution of the 2x2 blocks into
     * 4·out channels, rearranged to pixels (depth to space) and cropped by SAME's padding. Every output pixel of a
     * 4x4 stride-2 transposed convolution takes 2x2 taps of the kernel, so the FLOPs are the same; oneDNN's forward
     * kernel is about twice as fast this way for few output channels (the RGB layer: 32 -> 3 at 64 px, 8 -> 4 ms at
     * batch 64), but its gradients are slower, so G uses it in inference only (E's --encoder-recon loss backpropagates
     * through it there, correctly, a few ms slower).
     */
    public Operand<TFloat32> applySubPixel(Ops tf, Operand<TFloat32> x, int outSize) {
        if (!hasSubPixelForm()) throw new IllegalStateException("sub-pixel form needs a 4x4 kernel, not " + k);
        int in = (int) kernel.shape().size(3), blocks = outSize / 2 + 1;
        // w[2 bh + sh, 2 bw + sw, c, i] -> w2[bh, bw, (sh, sw, c), i], depth_to_space's channel order
        Operand<TFloat32> w = tf.reshape(tf.linalg.transpose(tf.reshape(Params.read(tf, kernel),
                        tf.constant(new long[] {2, 2, 2, 2, out, in})), tf.constant(new int[] {0, 2, 1, 3, 4, 5})),
                tf.constant(new long[] {2, 2, 4L * out, in}));
        Operand<TFloat32> y = tf.nn.depthToSpace(
                precision.conv2dTranspose(tf, shapeLike(tf, x, blocks, 4 * out), w, x, STRIDE_1, "VALID"), 2L);
        y = tf.slice(y, tf.constant(new int[] {0, 1, 1, 0}), tf.constant(new int[] {-1, outSize, outSize, out}));
        return biased(tf, y, outSize);
    }

    /** [N, size, size, channels], N being x's batch. */
    private static Operand<TInt32> shapeLike(Ops tf, Operand<TFloat32> x, int size, int channels) {
        Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
        return tf.concat(List.of(batch, tf.constant(new int[] {size, size, channels})), tf.constant(0));
    }

    /** y with its static shape (so later layers see full shapes) and the bias, if any. */
    private Operand<TFloat32> biased(Ops tf, Operand<TFloat32> y, int outSize) {
        y = tf.reshape(y, tf.constant(new long[] {-1, outSize, outSize, out}));
        return bias == null ? y : tf.nn.biasAdd(y, Params.read(tf, bias));
    }
}
