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

/**
 * Batch normalisation over N, H, W of an NHWC tensor (FusedBatchNormV3), with moving statistics for inference.
 *
 * <p>In {@link Mode#TRAIN} a call normalises with its batch's statistics and remembers them; {@link #updates}
 * then builds the assignments that move the moving averages toward the mean of the remembered statistics
 * (D is called on a real and a fake batch per step; both count).
 */
public final class BatchNorm {
    /** Keras' and DCGAN's moving-average momentum. */
    public static final float MOMENTUM = 0.9f;
    public static final float EPSILON = 1e-5f;

    private final Variable<TFloat32> scale;
    private final Variable<TFloat32> offset;
    private final Variable<TFloat32> movingMean;
    private final Variable<TFloat32> movingVariance;
    private final List<FusedBatchNorm<TFloat32, TFloat32>> pending = new ArrayList<>();

    public BatchNorm(Params params, String name, int channels) {
        Shape shape = Shape.of(channels);
        this.scale = params.filled(name + "_gamma", shape, 1f);
        this.offset = params.filled(name + "_beta", shape, 0f);
        this.movingMean = params.statistic(name + "_mean", shape, 0f);
        this.movingVariance = params.statistic(name + "_var", shape, 1f);
    }

    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Mode mode) {
        boolean training = mode == Mode.TRAIN;
        var bn = tf.nn.fusedBatchNorm(x, scale, offset,
                training ? tf.constant(new float[0]) : movingMean,
                training ? tf.constant(new float[0]) : movingVariance,
                FusedBatchNorm.epsilon(EPSILON), FusedBatchNorm.isTraining(training));
        if (training) pending.add(bn);
        return bn.y();
    }

    /** Assignments moving the averages toward the statistics of the TRAIN calls since the last drain. */
    public List<Op> updates(Ops tf) {
        List<Op> ops = new ArrayList<>();
        if (pending.isEmpty()) return ops;
        Operand<TFloat32> mean = pending.get(0).batchMean();
        Operand<TFloat32> variance = pending.get(0).batchVariance();
        for (int i = 1; i < pending.size(); i++) {
            mean = tf.math.add(mean, pending.get(i).batchMean());
            variance = tf.math.add(variance, pending.get(i).batchVariance());
        }
        Operand<TFloat32> share = tf.constant((1f - MOMENTUM) / pending.size());
        ops.add(tf.assignSub(movingMean, tf.math.sub(tf.math.mul(movingMean, tf.constant(1f - MOMENTUM)),
                tf.math.mul(mean, share))));
        ops.add(tf.assignSub(movingVariance, tf.math.sub(tf.math.mul(movingVariance, tf.constant(1f - MOMENTUM)),
                tf.math.mul(variance, share))));
        pending.clear();
        return ops;
    }

    /**
     * Assignments setting the moving statistics to those of the one TRAIN call since the last drain (BigGAN's
     * "standing statistics": the population statistics of a large batch, for weights the averages never saw).
     */
    public List<Op> resets(Ops tf) {
        if (pending.size() != 1) throw new IllegalStateException("resets need exactly one TRAIN call, found " + pending.size());
        FusedBatchNorm<TFloat32, TFloat32> bn = pending.remove(0);
        return List.of(tf.assign(movingMean, bn.batchMean()), tf.assign(movingVariance, bn.batchVariance()));
    }

    /** Forgets the TRAIN calls since the last drain (their statistics will not update the averages). */
    public void discardPending() {
        pending.clear();
    }
}
