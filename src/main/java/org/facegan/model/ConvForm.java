package org.facegan.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Exact formulations of a k x k stride-2 SAME convolution and transposed convolution: the same function of the same
 * kernel variable (same name, same shape: checkpoints do not change), the same products summed in other orders, so
 * outputs and gradients agree to float32 rounding. Which one runs fastest depends on the host's kernels
 * ({@link ConvTuner} times them); {@link #DIRECT} is TensorFlow's own op.
 */
public enum ConvForm {
    /** Conv2D / Conv2DBackpropInput, stride 2. */
    DIRECT,
    /** 2x2 blocks, stride 1: space to depth + a stride-1 convolution; the transposed layer's sub-pixel form. */
    BLOCKS,
    /** Matrix products: patches x [kb²·4·C_in, C_out]; the transposed layer's per-pixel product + overlap-add. */
    MATMUL,
    /** The direct ops in channels-first layout (float32 only). */
    NCHW;

    /** As {@code --conv} spells it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the form is called for one kind of layer: "space-to-depth" for a convolution, "sub-pixel" transposed. */
    public String describe(boolean transposed) {
        return switch (this) {
            case DIRECT -> "direct";
            case BLOCKS -> transposed ? "sub-pixel" : "space-to-depth";
            case MATMUL -> transposed ? "matmul+overlap-add" : "patches+matmul";
            case NCHW -> "nchw";
        };
    }

    /** @param value direct, blocks, matmul or nchw (any case) */
    public static ConvForm parse(String value) {
        for (ConvForm f : values()) if (f.toString().equals(value.toLowerCase(Locale.ROOT))) return f;
        throw new IllegalArgumentException("--conv must be auto or one of " + names() + ", found " + value);
    }

    /** "direct, blocks, matmul, nchw". */
    public static String names() {
        return Arrays.stream(values()).map(ConvForm::toString).collect(Collectors.joining(", "));
    }

    /** Whether this form can compute a layer of {@code shape} in {@code precision}. */
    public boolean supports(ConvShape shape, Precision precision) {
        if (!shape.transposed() && shape.inSize() % 2 != 0) return this == DIRECT;
        return this != NCHW || precision == Precision.FP32;
    }

    /** The forms that can compute {@code shape} in {@code precision}, {@link #DIRECT} first. */
    public static List<ConvForm> candidates(ConvShape shape, Precision precision) {
        return Arrays.stream(values()).filter(f -> f.supports(shape, precision)).toList();
    }

    /**
     * The layer's output, without bias and without a static shape.
     *
     * @param x [N, H, W, C_in]
     * @param kernel the layer's kernel as its variable holds it: [k, k, C_in, C_out] for a convolution,
     *     [k, k, C_out, C_in] for a transposed convolution
     * @return [N, H/2, W/2, C_out] or [N, 2H, 2W, C_out]
     */
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, ConvShape shape, Precision precision) {
        return applyArranged(tf, x, arranged(tf, kernel, shape), shape, precision);
    }

    /**
     * The kernel in the layout this form's op takes, a function of the weights alone (which an inference graph
     * computes once: {@link WeightCache}).
     *
     * @param kernel the layer's kernel as its variable holds it (see {@link #apply})
     */
    Operand<TFloat32> arranged(Ops tf, Operand<TFloat32> kernel, ConvShape shape) {
        return switch (this) {
            case DIRECT, NCHW -> kernel;
            case BLOCKS -> KernelBlocks.of(tf, kernel, shape);
            case MATMUL -> shape.transposed() ? OverlapAddConvTranspose.matrix(tf, kernel, shape)
                    : PatchMatmulConv.matrix(tf, kernel, shape);
        };
    }

    /** Whether {@link #arranged} computes anything (else the kernel is taken as its variable holds it). */
    boolean rearrangesKernel() {
        return this == BLOCKS || this == MATMUL;
    }

    /** {@link #apply} on a kernel already {@link #arranged} for this form. */
    Operand<TFloat32> applyArranged(Ops tf, Operand<TFloat32> x, Operand<TFloat32> arranged, ConvShape shape,
                                    Precision precision) {
        if (!supports(shape, precision)) {
            throw new IllegalArgumentException("--conv " + this + " cannot compute " + shape + " in " + precision);
        }
        if (shape.transposed()) {
            return switch (this) {
                case DIRECT -> precision.conv2dTranspose(tf, ConvTranspose2D.shapeLike(tf, x, shape.outSize(), shape.out()),
                        arranged, x, ConvTranspose2D.STRIDE_2, "SAME");
                case BLOCKS -> SubPixelConvTranspose.apply(tf, x, arranged, shape, precision);
                case MATMUL -> OverlapAddConvTranspose.apply(tf, x, arranged, shape, precision);
                case NCHW -> ChannelsFirstConv.apply(tf, x, arranged, shape);
            };
        }
        return switch (this) {
            case DIRECT -> precision.conv2d(tf, x, arranged, Conv2D.STRIDE_2, "SAME");
            case BLOCKS -> SpaceToDepthConv.apply(tf, x, arranged, shape, precision);
            case MATMUL -> PatchMatmulConv.apply(tf, x, arranged, shape, precision);
            case NCHW -> ChannelsFirstConv.apply(tf, x, arranged, shape);
        };
    }
}
