package org.facegan.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Dynamic loss scaling for fp16 training (Micikevicius et al. 2018, "Mixed Precision Training"; Keras'
 * LossScaleOptimizer): the loss is multiplied by a scale S before differentiation so that small gradients survive
 * fp16's narrow range, and the gradients are divided by S before the update. When any gradient is not finite
 * the update is skipped (the Adam ops get no input: their gradients come out of a Switch's dead branch) and S
 * halves; after {@code growthInterval} finite steps in a row S doubles.
 */
final class LossScale {
    /** Where the scale starts, and how many finite steps in a row double it. */
    record Settings(float initial, int growthInterval) {
        static final Settings DEFAULT = new Settings(32768f, 2000);
    }

    final Variable<TFloat32> scale;
    final Variable<TFloat32> goodSteps;
    private final int growthInterval;

    LossScale(Ops root, String name, Settings settings) {
        this.scale = root.withName(name + "_loss_scale").variable(root.constant(settings.initial()));
        this.goodSteps = root.withName(name + "_loss_scale_good_steps").variable(root.constant(0f));
        this.growthInterval = settings.growthInterval();
    }

    Operand<TFloat32> scaled(Ops tf, Operand<TFloat32> loss) {
        return tf.math.mul(loss, scale);
    }

    /** Gradients for the update (dead when any is not finite) and the op that moves the scale (always runs). */
    record Gated(List<Output<TFloat32>> gradients, Op update) {}

    @SuppressWarnings("unchecked")
    Gated gate(Ops tf, Output<?>[] scaledGradients) {
        Operand<TFloat32> inverse = tf.math.div(tf.constant(1f), scale);
        List<Operand<TFloat32>> unscaled = new ArrayList<>();
        Operand<TBool> finite = tf.constant(true);
        for (Output<?> g : scaledGradients) {
            Operand<TFloat32> u = tf.math.mul((Output<TFloat32>) g, inverse);
            unscaled.add(u);
            Operand<TBool> allFinite = tf.all(tf.math.isFinite(u), tf.range(tf.constant(0), tf.rank(u), tf.constant(1)));
            finite = tf.math.logicalAnd(finite, allFinite);
        }
        List<Output<TFloat32>> gated = new ArrayList<>();
        for (Operand<TFloat32> u : unscaled) gated.add(tf.switchCond(u, finite).outputTrue());

        Operand<TFloat32> counted = tf.math.add(goodSteps, tf.constant(1f));
        Operand<TBool> grow = tf.math.logicalAnd(finite, tf.math.greaterEqual(counted, tf.constant((float) growthInterval)));
        Operand<TFloat32> newScale = tf.select(finite,
                tf.select(grow, tf.math.mul(scale, tf.constant(2f)), scale),
                tf.math.mul(scale, tf.constant(0.5f)));
        Operand<TFloat32> newGood = tf.select(tf.math.logicalAnd(finite, tf.math.logicalNot(grow)), counted, tf.constant(0f));
        // both read the old values before either is written
        Op reads = tf.withControlDependencies(List.of(newScale, newGood)).noOp();
        Ops after = tf.withControlDependencies(List.of(reads));
        Op update = tf.withControlDependencies(List.of(after.assign(scale, newScale), after.assign(goodSteps, newGood))).noOp();
        return new Gated(gated, update);
    }
}
