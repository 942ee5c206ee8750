package org.facegan.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.facegan.model.ConvPlan;
import org.facegan.model.Generator;
import org.facegan.model.Mode;
import org.facegan.model.ModelConfig;
import org.facegan.model.Params;
import org.facegan.model.Precision;
import org.facegan.model.WeightCache;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * G as {@code facegan sample}, {@code export} and {@code serve} build it ({@link org.facegan.export.InferenceGraph}:
 * batch norm folded, row-stable dense layers, derived weights cached), once per batch size that {@code bench}
 * times, each with its forms picked for its own batch (as {@code sample --count N} tunes for N). Its weights are its
 * own, at their initial values: bench times the work, not a trained model.
 */
final class SamplingHeads {
    record Head(Placeholder<TFloat32> z, Placeholder<TFloat32> y, Operand<TFloat32> images) {}

    private final Map<Integer, Head> heads = new LinkedHashMap<>();
    private final Op refresh;

    SamplingHeads(Graph graph, ModelConfig model, int yDim, ConvPlan plan, Precision precision, int... batches) {
        Ops tf = Ops.create(graph);
        WeightCache cache = new WeightCache(tf);
        for (int batch : batches) {
            if (heads.containsKey(batch)) continue;
            Ops at = tf.withSubScope("sampling_b" + batch);
            Generator g = new Generator(new Params(tf, "sampling_b" + batch + "_G", 1, precision, plan, true, cache),
                    model, yDim);
            Placeholder<TFloat32> z = at.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, model.zDim())));
            Placeholder<TFloat32> y = at.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, yDim)));
            heads.put(batch, new Head(z, y, g.apply(at, z, y, Mode.INFERENCE)));
        }
        refresh = cache.refresh(tf);
    }

    /** Computes the cached weights: once, after the variables are initialised (the session's first run does that). */
    void refresh(Session session) {
        session.runner().addTarget(refresh).run();
    }

    /** A runner for one sampling run of {@code batch} faces, fed and fetching the faces (for a profile). */
    Supplier<Session.Runner> fed(Session session, int batch, TFloat32 z, TFloat32 y) {
        Head h = heads.get(batch);
        return () -> session.runner().feed(h.z(), z).feed(h.y(), y).fetch(h.images());
    }

    /** One sampling run of {@code batch} faces. */
    Runnable run(Session session, int batch, TFloat32 z, TFloat32 y) {
        Supplier<Session.Runner> runner = fed(session, batch, z, y);
        return () -> runner.get().run().close();
    }
}
