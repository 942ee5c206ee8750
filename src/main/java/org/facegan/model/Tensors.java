package org.facegan.model;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Copies between Java float arrays and float tensors. Callers own (and close) the tensors. */
public final class Tensors {
    private Tensors() {}

    /** A new tensor of this shape holding {@code values} (row-major; length must equal the shape's size). */
    public static TFloat32 of(Shape shape, float[] values) {
        if (shape.size() != values.length) {
            throw new IllegalArgumentException("expected " + shape.size() + " values for shape " + shape
                    + ", found " + values.length);
        }
        return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
    }

    /** A [rows, cols] tensor. */
    public static TFloat32 matrix(int rows, int cols, float[] values) {
        return of(Shape.of(rows, cols), values);
    }

    /** All values of a tensor, row-major. */
    public static float[] read(TFloat32 tensor) {
        float[] out = new float[(int) tensor.shape().size()];
        tensor.copyTo(DataBuffers.of(out, false, false));
        return out;
    }
}
