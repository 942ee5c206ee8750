package org.facegan.serve;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * One input or output of a predict call held in Java memory, row-major: its shape and either its floats or its
 * strings. Predict parses requests into these and answers from them; the batch scheduler concatenates requests'
 * inputs along dimension 0 and slices the outputs back, both exact copies.
 */
record Values(long[] shape, float[] floats, byte[][] strings) {
    Values {
        if ((floats == null) == (strings == null)) throw new IllegalArgumentException("floats or strings, exactly one");
    }

    static Values ofFloats(long[] shape, float[] floats) {
        return new Values(shape, floats, null);
    }

    static Values ofStrings(long[] shape, byte[][] strings) {
        return new Values(shape, null, strings);
    }

    /** A copy of a float or string tensor's contents. */
    static Values of(Tensor tensor) {
        long[] shape = tensor.shape().asArray();
        if (tensor instanceof TFloat32 f) return ofFloats(shape, org.facegan.model.Tensors.read(f));
        if (tensor instanceof TString s) {
            byte[][] flat = new byte[Math.toIntExact(s.shape().size())][];
            int[] next = {0};
            s.asBytes().scalars().forEach(v -> flat[next[0]++] = v.getObject());
            return ofStrings(shape, flat);
        }
        throw new IllegalStateException("a tensor of a type this server does not read: " + tensor.dataType());
    }

    /** A new tensor holding these values; the caller closes it. */
    Tensor tensor() {
        return floats != null ? TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(floats, true, false))
                : TString.tensorOfBytes(Shape.of(shape), DataBuffers.ofObjects(strings));
    }

    int length() {
        return floats != null ? floats.length : strings.length;
    }

    /** Dimension 0, the batch; -1 for a scalar. */
    long rows() {
        return shape.length == 0 ? -1 : shape[0];
    }

    /** The shape after dimension 0, e.g. "[32, 32, 3]": requests merge only when it is the same. */
    String rowShape() {
        return Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length));
    }

    /** Values in one row along dimension 0. */
    int rowLength() {
        return Math.toIntExact(length() / Math.max(1, shape[0]));
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of dimension 0. */
    Values rows(int from, int to) {
        int perRow = rowLength();
        long[] sliced = shape.clone();
        sliced[0] = to - from;
        return floats != null ? ofFloats(sliced, Arrays.copyOfRange(floats, from * perRow, to * perRow))
                : ofStrings(sliced, Arrays.copyOfRange(strings, from * perRow, to * perRow));
    }

    /** The parts one after the other along dimension 0; they share the type and {@link #rowShape()}. */
    static Values concat(List<Values> parts) {
        if (parts.size() == 1) return parts.get(0);
        long[] shape = parts.get(0).shape.clone();
        shape[0] = parts.stream().mapToLong(Values::rows).sum();
        int length = parts.stream().mapToInt(Values::length).sum(), at = 0;
        if (parts.get(0).floats != null) {
            float[] out = new float[length];
            for (Values p : parts) {
                System.arraycopy(p.floats, 0, out, at, p.floats.length);
                at += p.floats.length;
            }
            return ofFloats(shape, out);
        }
        byte[][] out = new byte[length][];
        for (Values p : parts) {
            System.arraycopy(p.strings, 0, out, at, p.strings.length);
            at += p.strings.length;
        }
        return ofStrings(shape, out);
    }
}
