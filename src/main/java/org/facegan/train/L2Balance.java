package org.facegan.train;

import org.facegan.model.Network;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * {@code --balance l2}: the adaptive L2 penalty on D's weights of seed 003 ("Generating Faces with Torch"). Its
 * weight rises by {@link Balancing#L2_STEP} while G's adversarial loss is above {@link Balancing#G_LOSS_HIGH} (D too
 * strong) and falls by as much (never below 0) while it is below {@link Balancing#G_LOSS_LOW}.
 */
final class L2Balance {
    final Variable<TFloat32> weight;

    L2Balance(Ops root) {
        weight = root.withName("balance_d_l2").variable(root.constant(0f));
    }

    /**
     * {@code dLoss} plus the weight times half the sum of squares of D's weights: Torch's weight decay, as seed 003
     * used it.
     */
    Operand<TFloat32> penalised(Ops tf, Operand<TFloat32> dLoss, Network discriminator) {
        return tf.math.add(dLoss, tf.math.mul(weight, squaredWeights(tf, discriminator)));
    }

    /** The op that moves the weight after G's phase, from G's adversarial loss. */
    Op update(Ops tf, Operand<TFloat32> gAdversarial) {
        Operand<TFloat32> up = tf.dtypes.cast(tf.math.greater(gAdversarial, tf.constant(Balancing.G_LOSS_HIGH)), TFloat32.class);
        Operand<TFloat32> down = tf.dtypes.cast(tf.math.less(gAdversarial, tf.constant(Balancing.G_LOSS_LOW)), TFloat32.class);
        Operand<TFloat32> moved = tf.math.add(weight, tf.math.mul(tf.constant(Balancing.L2_STEP), tf.math.sub(up, down)));
        return tf.withName("balance_d_l2_update").assign(weight, tf.math.maximum(moved, tf.constant(0f)));
    }

    /** Half the sum of squares of the kernels and dense matrices (not biases or batch-norm parameters). */
    private static Operand<TFloat32> squaredWeights(Ops tf, Network net) {
        Operand<TFloat32> sum = tf.constant(0f);
        for (Variable<TFloat32> v : net.params().trainable()) {
            if (v.op().name().endsWith("_w")) sum = tf.math.add(sum, tf.nn.l2Loss(v));
        }
        return sum;
    }
}
