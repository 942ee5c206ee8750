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
 * Conv2DBackpropInput, the op the probe found fastest on CPU (faster than resize + conv), or in the form its
 * {@link Params}' {@link ConvPlan} picks for its shape.
 */
public final class ConvTranspose2D implements Upsampler {
    static final List<Long> STRIDE_2 = List.of(1L, 2L, 2L, 1L);

    private final Variable<TFloat32> kernel;
    private final Variable<TFloat32> bias;
    private final int k;
    private final int out;
    private final Precision precision;
    private final ConvPlan plan;
    private final Params params;

    public ConvTranspose2D(Params params, String name, int k, int in, int out, boolean withBias) {
        this.kernel = params.normal(name + "_w", Shape.of(k, k, out, in), Params.INIT_STDDEV);
        this.bias = withBias ? params.filled(name + "_b", Shape.of(out), 0f) : null;
        this.k = k;
        this.out = out;
        this.precision = params.precision();
        this.plan = params.convPlan();
        this.params = params;
    }

    /** @param outSize the output's spatial size 2H (static, so later layers see full shapes) */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int outSize) {
        return apply(tf, x, outSize, Mode.TRAIN);
    }

    /** The layer in the form its plan picks for {@code mode}'s work (forward only in inference). */
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int outSize, Mode mode) {
        ConvForm form = plan.form(shape(outSize), (int) x.shape().get(0), mode.training(), precision);
        if (mode.training()) return apply(tf, x, outSize, form);
        Operand<TFloat32> w = form.arranged(tf, Params.read(tf, kernel), shape(outSize));
        if (form.rearrangesKernel()) w = params.inferenceWeight(tf, kernel, w);
        return biased(tf, form.applyArranged(tf, x, w, shape(outSize), precision), outSize);
    }

    /** The layer in a given form (exactly the same function whichever form). */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int outSize, ConvForm form) {
        return biased(tf, form.apply(tf, x, Params.read(tf, kernel), shape(outSize), precision), outSize);
    }

    /**
     * The layer followed by inference's batch norm {@code norm} folded into it (the kernel's output channels times
     * its gain, its shift as the bias), in the form the plan picks for inference.
     */
    @Override
    public Operand<TFloat32> applyFolded(Ops tf, Operand<TFloat32> x, int outSize, BatchNorm.Folded norm) {
        ConvForm form = plan.form(shape(outSize), (int) x.shape().get(0), false, precision);
        Operand<TFloat32> w = tf.math.mul(Params.read(tf, kernel), tf.reshape(norm.gain(), tf.constant(new long[] {1, 1, -1, 1})));
        w = params.inferenceWeight(tf, kernel, form.arranged(tf, w, shape(outSize)));
        Operand<TFloat32> y = tf.reshape(form.applyArranged(tf, x, w, shape(outSize), precision),
                tf.constant(new long[] {-1, outSize, outSize, out}));
        return tf.nn.biasAdd(y, params.inferenceWeight(tf, kernel,
                norm.shiftAfter(tf, bias == null ? null : Params.read(tf, bias))));
    }

    /** Whether {@link #applySubPixel} can compute this layer: a 4x4 kernel. */
    public boolean hasSubPixelForm() {
        return k == 4;
    }

    /**
     * The same function as {@link #apply}, computed as a stride-1 transposed convolution of the 2x2 blocks into
     * 4·out channels, rearranged to pixels (depth to space) and cropped by SAME's padding ({@link ConvForm#BLOCKS},
     * {@link SubPixelConvTranspose}). Every output pixel of a 4x4 stride-2 transposed convolution takes 2x2 taps of
     * the kernel, so the FLOPs are the same; oneDNN's forward kernel is about twice as fast this way for few output
     * channels (the RGB layer: 32 -> 3 at 64 px, 8 -> 4 ms at batch 64), but its gradients are slower, so G uses it
     * in inference only (E's --encoder-recon loss backpropagates through it there, correctly, a few ms slower).
     */
    public Operand<TFloat32> applySubPixel(Ops tf, Operand<TFloat32> x, int outSize) {
        if (!hasSubPixelForm()) throw new IllegalStateException("sub-pixel form needs a 4x4 kernel, not " + k);
        return apply(tf, x, outSize, ConvForm.BLOCKS);
    }

    /** This layer's shape for an output of {@code outSize}. */
    ConvShape shape(int outSize) {
        return new ConvShape(true, k, outSize / 2, (int) kernel.shape().size(3), out);
    }

    /** [N, size, size, channels], N being x's batch. */
    static Operand<TInt32> shapeLike(Ops tf, Operand<TFloat32> x, int size, int channels) {
        Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
        return tf.concat(List.of(batch, tf.constant(new int[] {size, size, channels})), tf.constant(0));
    }

    /** y with its static shape (so later layers see full shapes) and the bias, if any. */
    private Operand<TFloat32> biased(Ops tf, Operand<TFloat32> y, int outSize) {
        y = tf.reshape(y, tf.constant(new long[] {-1, outSize, outSize, out}));
        return bias == null ? y : tf.nn.biasAdd(y, Params.read(tf, bias));
    }
}
