package org.facegan.train;

import java.util.List;
import org.tensorflow.TensorFlow;

/**
 * Gradients that TensorFlow's C++ gradient registry (what {@code Graph.addGradients} uses) lacks and facegan's
 * second-order gradients need, registered from Java once per process.
 *
 * <p>Probed on TF Java 1.1.0 (TensorFlow 2.18) with D's R1 penalty: the second-order path through D's convolutions,
 * leaky ReLUs, dense layers, the concatenation with y and the spectral normalisation finds every gradient
 * registered (Conv2DBackpropInput, LeakyReluGrad, MatMul, Slice, ...) except:
 * <ul>
 *   <li>{@code OnesLike}: {@code addGradients(y, x)} without explicit output gradients seeds the backward pass with
 *       OnesLike(y); differentiating that backward pass again reaches it. Its output does not depend on its input's
 *       values, so the gradient is zero.
 *   <li>{@code FusedBatchNormGradV3}, batch norm's gradient: not registered here; {@code --r1} needs
 *       {@code --d-norm spectral} instead ({@link TrainOptions}).
 * </ul>
 */
public final class CustomGradients {
    /** The op types this class registers. */
    public static final List<String> OP_TYPES = List.of("OnesLike");

    private static boolean registered;

    private CustomGradients() {}

    /** Registers every gradient of {@link #OP_TYPES} that TensorFlow does not already have; safe to call again. */
    public static synchronized void register() {
        if (registered) return;
        // false when TensorFlow already has one (a later release): then TensorFlow's own is used
        TensorFlow.registerCustomGradient("OnesLike", (tf, op, gradients) -> List.of(tf.zerosLike(op.input(0))));
        registered = true;
    }
}
