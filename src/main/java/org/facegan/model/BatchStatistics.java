package org.facegan.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The batch statistics of the training calls made with {@link Mode#recording}, layer by layer in the order the
 * layers were first called, and the ops that turn them into moving-average updates. D records a real and a fake
 * batch per step: both count.
 */
public final class BatchStatistics {
    /** One call's batch mean, and its variance with Bessel's correction (FusedBatchNorm's). */
    record Moments(Operand<TFloat32> mean, Operand<TFloat32> variance) {}

    private final Map<MovingStatistic, List<Moments>> byLayer = new LinkedHashMap<>();

    void add(MovingStatistic layer, Moments moments) {
        byLayer.computeIfAbsent(layer, l -> new ArrayList<>()).add(moments);
    }

    public boolean isEmpty() {
        return byLayer.isEmpty();
    }

    /** Assignments moving each layer's averages toward the mean of its recorded statistics. */
    public List<Op> updates(Ops tf) {
        List<Op> ops = new ArrayList<>();
        byLayer.forEach((layer, calls) -> ops.addAll(layer.update(tf, calls)));
        return ops;
    }

    /**
     * Assignments setting each layer's moving statistics to those of its one recorded call (BigGAN's "standing
     * statistics": the population statistics of a large batch, for weights the averages never saw).
     */
    public List<Op> resets(Ops tf) {
        List<Op> ops = new ArrayList<>();
        byLayer.forEach((layer, calls) -> {
            if (calls.size() != 1) {
                throw new IllegalStateException("resets need exactly one recorded call per layer, found " + calls.size());
            }
            ops.addAll(layer.reset(tf, calls.get(0)));
        });
        return ops;
    }
}
