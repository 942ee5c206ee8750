package org.facegan.train;

import java.util.ArrayList;
import java.util.List;
import org.facegan.model.Network;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * One Adam update of exactly one network's trainable variables, through addGradients/applyGradients:
 * {@code minimize} would differentiate against every variable in the graph and let a D step move G. The update
 * every network of facegan (and the evaluation's classifier) uses.
 *
 * @param update the update, then the network's moving statistics
 * @param gradientsReady the op that marks all of the network's gradients computed
 * @param gradients the gradients, in the order of the network's {@code params().trainable()} (times the fp16 loss
 *     scale, if any)
 */
public record AdamStep(Op update, Op gradientsReady, List<Output<?>> gradients) {
    /** Adam's ε, added to √v̂. */
    public static final float EPSILON = 1e-7f;

    /** Adam on {@code net}'s variables at a fixed learning rate, then {@code statistics}: the classifier's update. */
    public static Op build(Ops tf, Graph graph, String name, float learningRate, float beta1, float beta2,
                           Operand<TFloat32> loss, Network net, List<Op> statistics) {
        return build(tf, graph, name, tf.constant(learningRate), beta1, beta2, loss, net, statistics, List.of(), null,
                false).update();
    }

    /**
     * The update of one network of the training step: its learning rate ({@code --d-lr} for D) times
     * {@code rateScale}, a loss scale in fp16, after {@code waitFor}; with {@code placeGradients}, each gradient op
     * on the device of the op it differentiates (towers).
     */
    static AdamStep forTraining(Ops tf, Graph graph, String name, TrainOptions options, Operand<TFloat32> rateScale,
                                Operand<TFloat32> loss, Network net, List<Op> statistics, List<Op> waitFor,
                                boolean placeGradients) {
        return gradientsForTraining(tf, graph, name, options, loss, net, waitFor, placeGradients)
                .apply(options, rateScale, statistics, List.of());
    }

    /** The first half of {@link #forTraining}: the gradients, for an update that must also wait for other ops. */
    static Pending gradientsForTraining(Ops tf, Graph graph, String name, TrainOptions options, Operand<TFloat32> loss,
                                        Network net, List<Op> waitFor, boolean placeGradients) {
        LossScale scale = options.precisionType().scalesLoss() ? new LossScale(tf, name, LossScale.Settings.DEFAULT) : null;
        return gradients(tf, graph, name, loss, net, waitFor, scale, placeGradients);
    }

    /** The same with {@code lossScale} (null: none) between the loss and the update. */
    static AdamStep build(Ops tf, Graph graph, String name, Operand<TFloat32> learningRate, float beta1, float beta2,
                          Operand<TFloat32> loss, Network net, List<Op> statistics, List<Op> waitFor, LossScale lossScale,
                          boolean placeGradients) {
        return gradients(tf, graph, name, loss, net, waitFor, lossScale, placeGradients)
                .apply(learningRate, beta1, beta2, statistics, List.of());
    }

    private static Pending gradients(Ops tf, Graph graph, String name, Operand<TFloat32> loss, Network net,
                                     List<Op> waitFor, LossScale lossScale, boolean placeGradients) {
        List<Variable<TFloat32>> vars = net.params().trainable();
        Output<?>[] wrt = vars.stream().map(Variable::asOutput).toArray(Output[]::new);
        Output<?> scaledLoss = (lossScale == null ? loss : lossScale.scaled(tf, loss)).asOutput();
        Output<?>[] grads = placeGradients ? ColocatedGradients.add(graph, name + "_gradients", scaledLoss, wrt)
                : graph.addGradients(scaledLoss, wrt);
        // Gate: no update starts before every gradient is computed. Variables are read by reference, so an early
        // in-place Adam update of layer k could otherwise race the backward ops of lower layers that still read
        // layer k's weights (TF1's GATE_GRAPH); it also makes single-threaded runs repeat bit for bit.
        List<Op> computed = new ArrayList<>(waitFor);
        for (Output<?> g : grads) computed.add(tf.identity(g));
        Op ready = tf.withControlDependencies(computed).noOp();
        return new Pending(tf, graph, name, net, vars, grads, ready, lossScale);
    }

    /**
     * A network's gradients, computed (once {@code ready} has run) and not yet applied: the update is built
     * separately when it must also wait for ops built after the gradients, such as another network's gradients
     * through this network's weights.
     */
    record Pending(Ops tf, Graph graph, String name, Network net, List<Variable<TFloat32>> vars, Output<?>[] grads,
                   Op ready, LossScale lossScale) {
        /** {@link #forTraining}'s update, after the gradients and {@code applyAfter}. */
        AdamStep apply(TrainOptions options, Operand<TFloat32> rateScale, List<Op> statistics, List<Op> applyAfter) {
            float rate = net instanceof org.facegan.model.Discriminator ? options.discriminatorLearningRate()
                    : options.learningRate();
            return apply(tf.math.mul(tf.constant(rate), rateScale), options.beta1(), options.beta2(), statistics,
                    applyAfter);
        }

        AdamStep apply(Operand<TFloat32> learningRate, float beta1, float beta2, List<Op> statistics,
                       List<Op> applyAfter) {
            List<Op> gate = new ArrayList<>(applyAfter);
            gate.add(ready);
            Ops gated = tf.withControlDependencies(gate);
            LossScale.Gated scaled = lossScale == null ? null : lossScale.gate(gated, grads);
            List<GradAndVar<? extends TType>> pairs = new ArrayList<>();
            for (int i = 0; i < vars.size(); i++) {
                @SuppressWarnings("unchecked")
                Output<TFloat32> grad = scaled != null ? scaled.gradients().get(i)
                        : (Output<TFloat32>) gated.identity(grads[i]).asOutput();
                pairs.add(new GradAndVar<>(grad, vars.get(i).asOutput()));
            }
            OrderedAdam adam = new OrderedAdam(graph, name, learningRate, beta1, beta2, EPSILON);
            Op apply = adam.applyGradients(pairs, name + "_apply");
            List<Op> all = new ArrayList<>(statistics);
            all.add(apply);
            if (scaled != null) all.add(scaled.update());
            return new AdamStep(tf.withName(name + "_step").withControlDependencies(all).noOp(), ready, List.of(grads));
        }
    }
}
