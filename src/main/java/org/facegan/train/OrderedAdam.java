package org.facegan.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Constant;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyAdam;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * TF Java's Adam with one race removed. The framework's Adam (1.0.0) assigns β1^t and β2^t beside its ApplyAdam
 * ops, not after them; each ApplyAdam reads the powers when it runs, so some variables took step t with the bias
 * correction of step t + 1 (measured: whole batch-norm variables of G moved differently in two identical graphs),
 * and a step skipped by fp16's loss scaling still advanced t. Here the powers move after every variable's update,
 * and not at all when the updates are skipped. Slots and powers are named as the framework's are ({@code W-m},
 * {@code W-v}, {@code beta1_power…}), so checkpoints written before this class load unchanged.
 */
final class OrderedAdam extends Optimizer {
    private final Operand<TFloat32> learningRate;
    private final float beta1, beta2, epsilon;
    private Constant<TFloat32> beta1Const, beta2Const, epsilonConst;
    private Variable<TFloat32> beta1Power, beta2Power;

    /** @param learningRate a scalar: a constant, or one that a schedule changes from step to step */
    OrderedAdam(Graph graph, String name, Operand<TFloat32> learningRate, float beta1, float beta2, float epsilon) {
        super(graph, name);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    protected void createSlots(List<Output<? extends TType>> variables) {
        for (Output<? extends TType> v : variables) createMoments(v);
        beta1Power = power("beta1_power", beta1);
        beta2Power = power("beta2_power", beta2);
    }

    private <T extends TType> void createMoments(Output<T> v) {
        createSlot(v, "m", tf.fill(tf.shape(v), tf.dtypes.cast(tf.constant(0f), v.type())));
        createSlot(v, "v", tf.fill(tf.shape(v), tf.dtypes.cast(tf.constant(0f), v.type())));
    }

    private Variable<TFloat32> power(String name, float initial) {
        Variable<TFloat32> power = tf.withInitScope().withName(name).variable(Shape.scalar(), TFloat32.class);
        tf.withInitScope().assign(power, tf.constant(initial));
        return power;
    }

    @Override
    protected Optional<Op> prepare(String scopeName) {
        beta1Const = tf.constant(beta1);
        beta2Const = tf.constant(beta2);
        epsilonConst = tf.constant(epsilon);
        return Optional.empty();
    }

    @Override
    protected <T extends TType> Op applyDense(Ops deps, Output<T> gradient, Output<T> variable) {
        return deps.train.applyAdam(variable, getSlot(variable, "m").orElseThrow(), getSlot(variable, "v").orElseThrow(),
                deps.dtypes.cast(beta1Power, gradient.type()), deps.dtypes.cast(beta2Power, gradient.type()),
                deps.dtypes.cast(learningRate, gradient.type()), deps.dtypes.cast(beta1Const, gradient.type()),
                deps.dtypes.cast(beta2Const, gradient.type()), deps.dtypes.cast(epsilonConst, gradient.type()),
                gradient, ApplyAdam.useLocking(true));
    }

    @Override
    protected Op finish(List<Op> updates, String name) {
        Ops afterUpdates = tf.withControlDependencies(updates);
        List<Op> all = new ArrayList<>(updates);
        all.add(afterUpdates.assign(beta1Power, afterUpdates.math.mul(beta1Power, beta1Const)));
        all.add(afterUpdates.assign(beta2Power, afterUpdates.math.mul(beta2Power, beta2Const)));
        return super.finish(all, name);
    }

    @Override
    public String getOptimizerName() {
        return "Adam";
    }
}
