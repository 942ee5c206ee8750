package org.facegan.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * k x k convolution with stride 2 and SAME padding: [N, H, W, in] -> [N, H/2, W/2, out], built in the form its
 * {@link Params}' {@link ConvPlan} picks for its shape (the direct op by default).
 */
public final class Conv2D {
    static final List<Long> STRIDE_2 = List.of(1L, 2L, 2L, 1L);

    private final Variable<TFloat32> kernel;
    private final Variable<TFloat32> bias;
    private final Precision precision;
    private final ConvPlan plan;
    private final int k;
    private final SpectralNorm spectralNorm; // null: the weight as it is
    private final Params params;

    public Conv2D(Params params, String name, int k, int in, int out, boolean withBias) {
        this(params, name, k, in, out, withBias, false);
    }

    /** @param spectral whether the layer computes with its weight divided by its largest singular value ({@link SpectralNorm}) */
    public Conv2D(Params params, String name, int k, int in, int out, boolean withBias, boolean spectral) {
        this.kernel = params.normal(name + "_w", Shape.of(k, k, in, out), Params.INIT_STDDEV);
        this.bias = withBias ? params.filled(name + "_b", Shape.of(out), 0f) : null;
        this.precision = params.precision();
        this.plan = params.convPlan();
        this.k = k;
        this.spectralNorm = spectral ? new SpectralNorm(params, name, kernel) : null;
        this.params = params;
    }

    /** The layer in a graph that trains through it. */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
        return apply(tf, x, Mode.TRAIN);
    }

    /** The layer in the form its plan picks for {@code mode}'s work (forward only in inference). */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Mode mode) {
        ConvShape shape = shape(x);
        return apply(tf, x, shape == null ? ConvForm.DIRECT
                : plan.form(shape, (int) x.shape().get(0), mode.training(), precision), null, mode.training());
    }

    /** The layer in a given form (exactly the same function whichever form), trained through. */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, ConvForm form) {
        return apply(tf, x, form, null, true);
    }

    /**
     * The layer followed by inference's batch norm {@code norm} folded into it (the kernel's output channels times
     * its gain, its shift as the bias), in the form the plan picks for inference.
     */
    public Operand<TFloat32> applyFolded(Ops tf, Operand<TFloat32> x, BatchNorm.Folded norm) {
        ConvShape shape = shape(x);
        return apply(tf, x, shape == null ? ConvForm.DIRECT : plan.form(shape, (int) x.shape().get(0), false, precision),
                norm, false);
    }

    /** @param trained whether gradients flow through (else the weights come from the params' cache, if any) */
    private Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, ConvForm form, BatchNorm.Folded norm, boolean trained) {
        ConvShape shape = shape(x);
        Operand<TFloat32> w = weight(tf);
        if (norm != null) w = tf.math.mul(w, tf.reshape(norm.gain(), tf.constant(new long[] {1, 1, 1, -1})));
        boolean direct = form == ConvForm.DIRECT || shape == null;
        if (!direct) w = form.arranged(tf, w, shape);
        boolean derived = norm != null || spectralNorm != null || (!direct && form.rearrangesKernel());
        if (!trained && derived) w = params.inferenceWeight(tf, kernel, w);
        Operand<TFloat32> y = direct
                ? precision.conv2d(tf, x, w, STRIDE_2, "SAME")
                : tf.reshape(form.applyArranged(tf, x, w, shape, precision),
                        tf.constant(new long[] {-1, shape.outSize(), shape.outSize(), shape.out()}));
        Operand<TFloat32> b = bias == null ? null : Params.read(tf, bias);
        if (norm != null) b = norm.shiftAfter(tf, b);
        if (b != null && !trained && norm != null) b = params.inferenceWeight(tf, kernel, b);
        return b == null ? y : tf.nn.biasAdd(y, b);
    }

    /** This layer's shape on {@code x}, null where x's spatial size is not static. */
    private ConvShape shape(Operand<TFloat32> x) {
        long size = x.shape().numDimensions() == 4 ? x.shape().get(1) : -1;
        return size < 1 ? null : new ConvShape(false, k, (int) size, (int) kernel.shape().get(2),
                (int) kernel.shape().get(3));
    }

    /** The layer's spectral normalisation, or null. */
    public SpectralNorm spectralNorm() {
        return spectralNorm;
    }

    private Operand<TFloat32> weight(Ops tf) {
        return spectralNorm == null ? Params.read(tf, kernel) : spectralNorm.apply(tf);
    }
}
