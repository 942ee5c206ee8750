package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The minibatch standard deviation of ProGAN (Karras et al. 2018, section 3): one more feature for D's dense layers,
 * the standard deviation of every trunk feature over the batch, averaged over the features, the same for every face
 * of the batch. A batch of generated faces that varies less than a real batch (lighting drawn within a narrower
 * range, fewer poses) then shows it to D in every face, where a per-face D would only see plausible faces.
 *
 * <p>Training calls take the whole batch's value (over every tower, as {@link BatchNorm} does) and record it;
 * inference takes its moving average, so that a face's judgement does not depend on the rest of its batch.
 */
final class MinibatchStddev implements MovingStatistic {
    private static final float EPSILON = 1e-8f;

    private final Variable<TFloat32> moving;

    MinibatchStddev(Params params, String name) {
        this.moving = params.statistic(name, Shape.of(1), 0f);
    }

    /** features [N, F] per tower -> [N, F + 1], the last column the batch's standard deviation. */
    Towers apply(Ops tf, Towers features, Mode mode) {
        Operand<TFloat32> stddev;                                                       // [1]
        if (mode.training()) {
            Operand<TInt32> rows = tf.constant(new int[] {0});
            List<Operand<TFloat32>> sums = new ArrayList<>(), counts = new ArrayList<>();
            for (int k = 0; k < features.count(); k++) {
                Ops at = features.on(tf, k);
                sums.add(at.sum(features.part(k), rows));                                  // [F]
                counts.add(at.dtypes.cast(at.slice(at.shape(features.part(k)), at.constant(new int[] {0}),
                        at.constant(new int[] {1})), TFloat32.class));                    // [1]
            }
            Operand<TFloat32> n = addN(tf, counts), mean = tf.math.div(addN(tf, sums), n);
            List<Operand<TFloat32>> squares = new ArrayList<>();
            for (int k = 0; k < features.count(); k++) {
                Ops at = features.on(tf, k);
                squares.add(at.sum(at.math.square(at.math.sub(features.part(k), mean)), rows));
            }
            Operand<TFloat32> variance = tf.math.div(addN(tf, squares), n);                // [F], over the batch
            // the root as a power: Sqrt's gradient op (SqrtGrad) has no gradient, which R1's second order needs
            stddev = tf.reshape(tf.math.mean(tf.math.pow(tf.math.add(variance, tf.constant(EPSILON)), tf.constant(0.5f)),
                    tf.constant(0)), tf.constant(new long[] {1}));
            mode.record(this, new BatchStatistics.Moments(stddev, stddev)); // one value: update reads the mean
        } else {
            stddev = Params.read(tf, moving);
        }
        Operand<TFloat32> value = tf.reshape(stddev, tf.constant(new long[] {1, 1}));
        return features.map(tf, (at, f) -> {
            // tiled to the rows (OnesLike and Fill have no gradient in TensorFlow's C++ registry; Tile has)
            Operand<TInt32> multiples = at.concat(List.of(at.slice(at.shape(f), at.constant(new int[] {0}),
                    at.constant(new int[] {1})), at.constant(new int[] {1})), at.constant(0));
            return at.concat(List.of(f, at.tile(value, multiples)), at.constant(1));  // [N, F + 1]
        });
    }

    private static Operand<TFloat32> addN(Ops tf, List<Operand<TFloat32>> xs) {
        return xs.size() == 1 ? xs.get(0) : tf.math.addN(xs);
    }

    @Override
    public List<Op> update(Ops tf, List<BatchStatistics.Moments> calls) {
        Operand<TFloat32> sum = calls.get(0).mean();
        for (int i = 1; i < calls.size(); i++) sum = tf.math.add(sum, calls.get(i).mean());
        Operand<TFloat32> share = tf.constant((1f - BatchNorm.MOMENTUM) / calls.size());
        return List.of(tf.assignSub(moving, tf.math.sub(tf.math.mul(moving, tf.constant(1f - BatchNorm.MOMENTUM)),
                tf.math.mul(sum, share))));
    }

    @Override
    public List<Op> reset(Ops tf, BatchStatistics.Moments call) {
        return List.of(tf.assign(moving, call.mean()));
    }
}
