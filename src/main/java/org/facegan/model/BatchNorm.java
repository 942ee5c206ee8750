package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Batch normalisation over N, H, W of an NHWC tensor (FusedBatchNormV3), with moving statistics for inference.
 *
 * <p>A training call normalises with its batch's statistics and hands them to its {@link Mode} (which collects them
 * into a {@link BatchStatistics} or drops them); {@link BatchStatistics#updates} then moves the moving averages
 * toward the mean of the collected statistics. The layer itself keeps no state between calls.
 *
 * <p>A batch split over several {@link Towers} is normalised with the whole batch's statistics (synchronised
 * batch norm): each tower sums its part on its own device, the sums are added where the variables live, and each
 * tower normalises its part with the result. Per-tower statistics would make k towers a different function from
 * one device on the same batch.
 */
public final class BatchNorm implements MovingStatistic {
    /** Keras' and DCGAN's moving-average momentum. */
    public static final float MOMENTUM = 0.9f;
    public static final float EPSILON = 1e-5f;

    private final Variable<TFloat32> scale;
    private final Variable<TFloat32> offset;
    private final Variable<TFloat32> movingMean;
    private final Variable<TFloat32> movingVariance;

    public BatchNorm(Params params, String name, int channels) {
        Shape shape = Shape.of(channels);
        this.scale = params.filled(name + "_gamma", shape, 1f);
        this.offset = params.filled(name + "_beta", shape, 0f);
        this.movingMean = params.statistic(name + "_mean", shape, 0f);
        this.movingVariance = params.statistic(name + "_var", shape, 1f);
    }

    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Mode mode) {
        boolean training = mode.training();
        var bn = tf.nn.fusedBatchNorm(x, Params.read(tf, scale), Params.read(tf, offset),
                training ? tf.constant(new float[0]) : Params.read(tf, movingMean),
                training ? tf.constant(new float[0]) : Params.read(tf, movingVariance),
                FusedBatchNorm.epsilon(EPSILON), FusedBatchNorm.isTraining(training));
        if (training) mode.record(this, new BatchStatistics.Moments(bn.batchMean(), bn.batchVariance()));
        return bn.y();
    }

    /**
     * Inference's batch norm as one multiply-add per channel, y = x·gain + shift with gain = γ/√(σ² + ε) and
     * shift = β − μ·gain, to fold into the layer before it: its weights times gain, shift its bias.
     */
    public record Folded(Operand<TFloat32> gain, Operand<TFloat32> shift) {
        /** The same per channel repeated {@code times} over a flattened [positions·channels] axis (channels last). */
        Folded tiled(Ops tf, int times) {
            Operand<org.tensorflow.types.TInt64> multiples = tf.constant(new long[] {times});
            return new Folded(tf.tile(gain, multiples), tf.tile(shift, multiples));
        }

        /** A bias b of the layer before, as it comes out after the folded norm: b·gain + shift. */
        Operand<TFloat32> shiftAfter(Ops tf, Operand<TFloat32> bias) {
            return bias == null ? shift : tf.math.add(tf.math.mul(bias, gain), shift);
        }
    }

    /** This layer on its moving statistics, to fold ({@link Mode#foldsBatchNorm}). */
    public Folded folded(Ops tf) {
        Operand<TFloat32> gain = tf.math.mul(Params.read(tf, scale),
                tf.math.rsqrt(tf.math.add(Params.read(tf, movingVariance), tf.constant(EPSILON))));
        return new Folded(gain, tf.math.sub(Params.read(tf, offset), tf.math.mul(Params.read(tf, movingMean), gain)));
    }

    /** The same over towers; several towers in training share the whole batch's statistics. */
    public Towers apply(Ops tf, Towers x, Mode mode) {
        if (x.count() == 1 || !mode.training()) return x.map(tf, (at, part) -> apply(at, part, mode));
        Operand<TInt32> axes = tf.constant(new int[] {0, 1, 2});
        List<Operand<TFloat32>> sums = new ArrayList<>(), counts = new ArrayList<>();
        for (int k = 0; k < x.count(); k++) {
            Ops at = x.on(tf, k);
            Operand<TFloat32> part = x.part(k);
            sums.add(at.sum(part, axes));
            counts.add(at.dtypes.cast(at.math.div(at.size(part), at.constant((int) part.shape().get(3))), TFloat32.class));
        }
        Operand<TFloat32> n = tf.math.addN(counts);                                           // N*H*W of the whole batch
        Operand<TFloat32> mean = tf.math.div(tf.math.addN(sums), n);                          // [C]
        List<Operand<TFloat32>> squares = new ArrayList<>();
        for (int k = 0; k < x.count(); k++) {
            Ops at = x.on(tf, k);
            squares.add(at.sum(at.math.square(at.math.sub(x.part(k), mean)), axes));
        }
        Operand<TFloat32> variance = tf.math.div(tf.math.addN(squares), n);                   // [C], biased: normalises
        Operand<TFloat32> gain = tf.math.mul(scale, tf.math.rsqrt(tf.math.add(variance, tf.constant(EPSILON))));
        Operand<TFloat32> shift = tf.math.sub(offset, tf.math.mul(mean, gain));
        mode.record(this, new BatchStatistics.Moments(mean,
                tf.math.mul(variance, tf.math.div(n, tf.math.maximum(tf.math.sub(n, tf.constant(1f)), tf.constant(1f))))));
        return x.map(tf, (at, part) -> at.math.add(at.math.mul(part, gain), shift));
    }

    @Override
    public List<Op> update(Ops tf, List<BatchStatistics.Moments> calls) {
        Operand<TFloat32> mean = calls.get(0).mean();
        Operand<TFloat32> variance = calls.get(0).variance();
        for (int i = 1; i < calls.size(); i++) {
            mean = tf.math.add(mean, calls.get(i).mean());
            variance = tf.math.add(variance, calls.get(i).variance());
        }
        Operand<TFloat32> share = tf.constant((1f - MOMENTUM) / calls.size());
        return List.of(tf.assignSub(movingMean, tf.math.sub(tf.math.mul(movingMean, tf.constant(1f - MOMENTUM)),
                        tf.math.mul(mean, share))),
                tf.assignSub(movingVariance, tf.math.sub(tf.math.mul(movingVariance, tf.constant(1f - MOMENTUM)),
                        tf.math.mul(variance, share))));
    }

    @Override
    public List<Op> reset(Ops tf, BatchStatistics.Moments call) {
        return List.of(tf.assign(movingMean, call.mean()), tf.assign(movingVariance, call.variance()));
    }
}
