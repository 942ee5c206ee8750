package org.facegan.model;

import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The number type the heavy ops (convolutions, transposed convolutions, matrix products) compute in; everything
 * else stays float32: the variables (master weights), batch normalisation, activations, losses and Adam. Mixed
 * precision as autocasting does it: each heavy op casts its input and its weights down and its output back up, and
 * the gradients take the same path back (the gradient of a cast is a cast).
 *
 * <p>fp16's narrow exponent loses small gradients, so fp16 training scales its losses ({@code LossScale}); bf16
 * has float32's exponent and needs no scaling.
 */
public enum Precision {
    FP32(null), BF16(TBfloat16.class), FP16(TFloat16.class);

    private final Class<? extends TNumber> compute;

    Precision(Class<? extends TNumber> compute) {
        this.compute = compute;
    }

    /** @param value fp32, bf16 or fp16 (any case) */
    public static Precision parse(String value) {
        for (Precision p : values()) if (p.toString().equals(value.toLowerCase(Locale.ROOT))) return p;
        throw new IllegalArgumentException("--precision must be fp32, bf16 or fp16, found " + value);
    }

    /** The TensorFlow type the heavy ops compute in. */
    public DataType dataType() {
        return switch (this) {
            case FP32 -> DataType.DT_FLOAT;
            case BF16 -> DataType.DT_BFLOAT16;
            case FP16 -> DataType.DT_HALF;
        };
    }

    public boolean scalesLoss() {
        return this == FP16;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Stride-s convolution of NHWC {@code x} with {@code kernel}. */
    public Operand<TFloat32> conv2d(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, List<Long> strides, String padding) {
        if (compute == null) return tf.nn.conv2d(x, kernel, strides, padding);
        return conv2dIn(tf, compute, x, kernel, strides, padding);
    }

    /** The transposed convolution: Conv2DBackpropInput of {@code x} into {@code outputShape}. */
    public Operand<TFloat32> conv2dTranspose(Ops tf, Operand<org.tensorflow.types.TInt32> outputShape,
                                             Operand<TFloat32> kernel, Operand<TFloat32> x, List<Long> strides,
                                             String padding) {
        if (compute == null) return tf.nn.conv2dBackpropInput(outputShape, kernel, x, strides, padding);
        return transposeIn(tf, compute, outputShape, kernel, x, strides, padding);
    }

    /** x · w. */
    public Operand<TFloat32> matMul(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
        if (compute == null) return tf.linalg.matMul(x, w);
        return matMulIn(tf, compute, x, w);
    }

    private static <T extends TNumber> Operand<TFloat32> conv2dIn(Ops tf, Class<T> type, Operand<TFloat32> x,
                                                                 Operand<TFloat32> kernel, List<Long> strides,
                                                                 String padding) {
        return up(tf, tf.nn.conv2d(down(tf, x, type), down(tf, kernel, type), strides, padding));
    }

    private static <T extends TNumber> Operand<TFloat32> transposeIn(Ops tf, Class<T> type,
                                                                    Operand<org.tensorflow.types.TInt32> outputShape,
                                                                    Operand<TFloat32> kernel, Operand<TFloat32> x,
                                                                    List<Long> strides, String padding) {
        return up(tf, tf.nn.conv2dBackpropInput(outputShape, down(tf, kernel, type), down(tf, x, type), strides, padding));
    }

    private static <T extends TNumber> Operand<TFloat32> matMulIn(Ops tf, Class<T> type, Operand<TFloat32> x,
                                                                 Operand<TFloat32> w) {
        return up(tf, tf.linalg.matMul(down(tf, x, type), down(tf, w, type)));
    }

    private static <T extends TNumber> Operand<T> down(Ops tf, Operand<TFloat32> x, Class<T> type) {
        return tf.dtypes.cast(x, type);
    }

    private static Operand<TFloat32> up(Ops tf, Operand<? extends TNumber> x) {
        return tf.dtypes.cast(x, TFloat32.class);
    }
}
