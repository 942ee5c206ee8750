package org.facegan.train;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.facegan.model.Sessions;
import org.facegan.model.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * TensorBoard event files written by TensorFlow's own summary ops (CreateSummaryFileWriter, WriteScalarSummary,
 * WriteImageSummary, WriteHistogramSummary) in a small graph of its own, fed from Java values: the training
 * graph, and so its checkpoints, stay exactly as they were. Files are {@code DIR/events.out.tfevents.*}.
 */
public final class Summaries implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    private final Placeholder<TString> tag;
    private final Placeholder<TInt64> step;
    private final Placeholder<TFloat32> scalar;
    private final Placeholder<TUint8> image;      // [1, H, W, 3]
    private final Placeholder<TFloat32> values;   // [N]
    private final Op writeScalar, writeImage, writeHistogram, flush, closeWriter;

    /** Opens an event file writer on {@code dir} (created if missing). */
    public Summaries(Path dir) {
        this(new Graph(), dir);
    }

    /**
     * The same, built into {@code graph}, which it owns from then on: closed by {@link #close}, or at once if opening
     * fails (a test's hook, to see what a failure closes).
     */
    Summaries(Graph graph, Path dir) {
        this.graph = graph;
        Session opened = null;
        try {
            Ops tf = Ops.create(graph).withSubScope("summaries");
            tag = tf.withName("tag").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
            step = tf.withName("step").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
            scalar = tf.withName("scalar").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            image = tf.withName("image").placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
            values = tf.withName("values").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            SummaryWriter writer = tf.summary.summaryWriter();
            Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(dir.toAbsolutePath().toString()),
                    tf.constant(10), tf.constant(5000), tf.constant(".facegan"));
            writeScalar = tf.summary.writeScalarSummary(writer, step, tag, scalar);
            writeImage = tf.summary.writeImageSummary(writer, step, tag, image,
                    tf.constant(new byte[] {(byte) 255, 0, 0, (byte) 255}));
            writeHistogram = tf.summary.writeHistogramSummary(writer, step, tag, values);
            flush = tf.summary.flushSummaryWriter(writer);
            closeWriter = tf.summary.closeSummaryWriter(writer);
            opened = Sessions.open(graph, 1);
            opened.runner().addTarget(create).run().close();
        } catch (RuntimeException e) {
            if (opened != null) opened.close();
            graph.close();
            throw new IllegalArgumentException("cannot write TensorBoard events to " + dir + ": " + e.getMessage(), e);
        }
        session = opened;
    }

    public void scalar(String name, long at, double value) {
        try (TString t = TString.scalarOf(name); TInt64 s = TInt64.scalarOf(at); TFloat32 v = TFloat32.scalarOf((float) value)) {
            session.runner().feed(tag, t).feed(step, s).feed(scalar, v).addTarget(writeScalar).run();
        }
    }

    /** An RGB image. */
    public void image(String name, long at, BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y), o = (y * w + x) * 3;
                rgb[o] = (byte) (p >> 16);
                rgb[o + 1] = (byte) (p >> 8);
                rgb[o + 2] = (byte) p;
            }
        }
        try (TString t = TString.scalarOf(name); TInt64 s = TInt64.scalarOf(at);
             TUint8 v = TUint8.tensorOf(Shape.of(1, h, w, 3), DataBuffers.of(rgb, true, false))) {
            session.runner().feed(tag, t).feed(step, s).feed(image, v).addTarget(writeImage).run();
        }
    }

    public void histogram(String name, long at, float[] data) {
        try (TString t = TString.scalarOf(name); TInt64 s = TInt64.scalarOf(at);
             TFloat32 v = Tensors.of(Shape.of(data.length), data)) {
            session.runner().feed(tag, t).feed(step, s).feed(values, v).addTarget(writeHistogram).run();
        }
    }

    public void flush() {
        session.runner().addTarget(flush).run();
    }

    /** Flushes and closes the event file. */
    @Override
    public void close() {
        try {
            session.runner().addTarget(closeWriter).run();
        } finally {
            session.close();
            graph.close();
        }
    }
}
