package org.facegan.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Weights an inference graph derives from its variables alone (batch norm folded into the layer before it, a kernel
 * rearranged for its {@link ConvForm}), kept in variables of their own and computed by {@link #refresh} instead of on
 * every run. Sampling, serving and the latent tools run a graph thousands of times between two changes of its
 * weights, and at small batches the derivation is a large share of a run (at batch 1 on the `small` network, a
 * third of the kernel time). A training graph never caches: its weights change every step, and its gradients must
 * flow through the derivation.
 *
 * <p>The cached variables are saved with the others, so an exported bundle carries them filled in; a checkpoint of
 * a training run has none, so an inference graph restores its own variables alone and then refreshes.
 */
public final class WeightCache {
    private final Ops root;
    private final List<Variable<TFloat32>> variables = new ArrayList<>();
    private final List<Op> fills = new ArrayList<>();
    private final Map<String, Integer> uses = new HashMap<>();

    /** @param root ops at the graph's root scope (variables must not live in a sub-scope) */
    public WeightCache(Ops root) {
        this.root = root;
    }

    /**
     * {@code derived} as {@code tf} reads it from its cache variable, named after {@code name}, or {@code derived}
     * itself where its shape is not static.
     */
    public Operand<TFloat32> of(Ops tf, String name, Operand<TFloat32> derived) {
        Shape shape = derived.shape();
        if (shape.isUnknown() || shape.hasUnknownDimension()) return derived;
        int n = uses.merge(name, 1, Integer::sum);
        Variable<TFloat32> v = root.withName(name + "_cached" + (n == 1 ? "" : "_" + n))
                .variable(root.zeros(root.constant(shape.asArray()), TFloat32.class));
        variables.add(v);
        fills.add(root.assign(v, derived));
        return Params.read(tf, v);
    }

    /** The op that computes every cached weight from the variables it derives from: run it after they change. */
    public Op refresh(Ops tf) {
        return tf.withName("refresh_cached_weights").withControlDependencies(fills).noOp();
    }

    /** The cache's own variables, which no training checkpoint holds. */
    public List<Variable<TFloat32>> variables() {
        return Collections.unmodifiableList(variables);
    }
}
