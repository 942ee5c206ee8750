package org.facegan.train;

import java.util.ArrayList;
import java.util.List;
import org.facegan.model.Towers;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The R1 gradient penalty (Mescheder et al. 2018, "Which Training Methods for GANs do actually Converge?"):
 * E‖∇ₓD(x, y)‖² over real faces x with their own y, which {@link Losses} adds to D's loss weighted by γ/2
 * ({@code --r1 γ}). D's update differentiates it again, so D's training step takes second-order gradients
 * ({@link CustomGradients} adds the one TensorFlow lacks).
 *
 * <p>∇ₓ of the sum of D's logits is each face's own gradient only when D(xᵢ) depends on xᵢ alone, which batch norm in
 * training mode breaks: hence the spectrally normalised D that {@code --r1} requires. On several towers the gradient
 * ops run on each tower's device ({@link ColocatedGradients}).
 */
final class R1Penalty {
    private R1Penalty() {}

    /**
     * @param logits D(x, y) [N, 1] of the real batch {@code x} (joined over towers)
     * @param x the real batch, as the towers split it
     * @return the batch mean of ‖∇ₓD(xᵢ, yᵢ)‖², a scalar
     */
    static Operand<TFloat32> meanSquaredGradient(Ops tf, Operand<TFloat32> logits, Towers x) {
        if (x.count() == 1) return meanSquaredGradient(tf, logits, x.part(0));
        CustomGradients.register();
        Graph graph = (Graph) tf.scope().env();
        Output<?>[] parts = new Output<?>[x.count()];
        for (int k = 0; k < parts.length; k++) parts[k] = x.part(k).asOutput();
        Output<?>[] gradients = ColocatedGradients.add(graph, tf.scope().makeUnique("r1_gradients"), logits.asOutput(), parts);
        List<Operand<TFloat32>> sums = new ArrayList<>();
        for (int k = 0; k < parts.length; k++) {
            Ops at = x.on(tf, k);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) gradients[k];                              // [n_k, S, S, 3]
            sums.add(at.sum(at.math.square(g), at.constant(new int[] {0, 1, 2, 3})));
        }
        Operand<TFloat32> n = tf.dtypes.cast(tf.size(logits), TFloat32.class);                  // N: logits are [N, 1]
        return tf.math.div(tf.math.addN(sums), n);
    }

    /** The same on one device, in any floating type: {@code x} [N, ...], {@code logits} [N, 1]. */
    static <T extends TFloating> Operand<T> meanSquaredGradient(Ops tf, Operand<T> logits, Operand<T> x) {
        CustomGradients.register();
        Graph graph = (Graph) tf.scope().env();
        @SuppressWarnings("unchecked")
        Operand<T> g = (Operand<T>) graph.addGradients(logits.asOutput(), new Output<?>[] {x.asOutput()})[0];
        Operand<TInt32> axes = tf.range(tf.constant(0), tf.rank(g), tf.constant(1));
        return tf.math.div(tf.sum(tf.math.square(g), axes), tf.dtypes.cast(tf.size(logits), x.type()));
    }
}
