package org.facegan.export;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * PNG encoding of a batch of images inside the graph, one PNG string per row, so that TF Serving's REST API can
 * return each generated face as base64 ({@code {"b64": ...}} for outputs whose name ends in {@code _bytes}).
 *
 * <p>TensorFlow's EncodePng takes one 3-D image, and the batch size is only known when the graph runs, so the rows
 * are encoded in a graph while loop (what Python's {@code tf.map_fn} builds): loop variables are the row index, the
 * uint8 images (passed through unchanged: the C API's loop bodies cannot read outer tensors) and the strings so far.
 */
final class PngRows {
    private PngRows() {}

    /** images [N, S, S, 3] in [-1, 1] -> [N] PNG strings of round((x + 1) * 127.5) clipped to [0, 255]. */
    static Operand<TString> encode(Ops outer, Operand<TFloat32> images) {
        Ops tf = outer.withSubScope("png_rows");
        Operand<TFloat32> levels = tf.math.round(tf.math.mul(tf.math.add(images, tf.constant(1f)), tf.constant(127.5f)));
        Operand<TUint8> bytes = tf.dtypes.cast(tf.clipByValue(levels, tf.constant(0f), tf.constant(255f)), TUint8.class);
        // The strings start empty with a static shape of [?]: the loop grows them by one each iteration.
        Operand<TString> none = tf.placeholderWithDefault(tf.slice(tf.array(""), tf.array(0), tf.array(0)), Shape.of(-1));
        Graph graph = (Graph) tf.scope().env();
        Output<?>[] loop = graph.whileLoop(
                new Output<?>[] {tf.constant(0).asOutput(), bytes.asOutput(), none.asOutput()},
                (g, in, out) -> {
                    Ops c = Ops.create(g);
                    out[0] = c.math.less(in[0].expect(TInt32.class),
                            c.squeeze(c.slice(c.shape(in[1]), c.array(0), c.array(1)))).asOutput();
                },
                (g, in, out) -> {
                    Ops b = Ops.create(g);
                    Operand<TInt32> i = in[0].expect(TInt32.class);
                    Operand<TUint8> row = b.gather(in[1].expect(TUint8.class), i, b.constant(0));
                    Operand<TString> png = b.reshape(b.image.encodePng(row), b.array(1));
                    out[0] = b.math.add(i, b.constant(1)).asOutput();
                    out[1] = in[1];
                    out[2] = b.concat(List.of(in[2].expect(TString.class), png), b.constant(0)).asOutput();
                },
                "png_rows_loop");
        return tf.ensureShape(loop[2].expect(TString.class), Shape.of(-1)); // the loop leaves the rank unknown
    }
}
