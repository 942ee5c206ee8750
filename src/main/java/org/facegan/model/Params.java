package org.facegan.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;

/**
 * The variables of one network, created with flat names ({@code G_up1_w}) because the framework's optimizers
 * reject variable names containing '/'. Initial values are seeded per variable, so a graph built twice in the same
 * order starts from the same weights.
 */
public final class Params {
    /** DCGAN's weight initialisation: N(0, 0.02). */
    public static final float INIT_STDDEV = 0.02f;

    private final Ops root;
    private final String prefix;
    private final long seed;
    private final Precision precision;
    private final ConvPlan convPlan;
    private final boolean rowStableMatMul;
    private final WeightCache weightCache; // null: derived weights computed on every run
    private final List<Variable<TFloat32>> trainable = new ArrayList<>();
    private final List<Variable<TFloat32>> statistics = new ArrayList<>();

    /**
     * @param root ops at the graph's root scope (variables must not live in a sub-scope)
     * @param prefix network prefix, e.g. "G"; variable names become PREFIX_LAYER_KIND
     * @param seed seed for this network's initial weights
     */
    public Params(Ops root, String prefix, long seed) {
        this(root, prefix, seed, Precision.FP32);
    }

    /** @param precision what this network's convolutions and matrix products compute in */
    public Params(Ops root, String prefix, long seed, Precision precision) {
        this(root, prefix, seed, precision, ConvPlan.DIRECT);
    }

    /** @param convPlan the form each stride-2 layer is built in ({@code --conv}); the variables are the same */
    public Params(Ops root, String prefix, long seed, Precision precision, ConvPlan convPlan) {
        this(root, prefix, seed, precision, convPlan, false);
    }

    /**
     * @param rowStableMatMul whether dense layers give a lone row the same bits as the same row in a batch
     *     ({@link Dense}): for inference graphs, whose answers must not depend on what a server merged them with
     */
    public Params(Ops root, String prefix, long seed, Precision precision, ConvPlan convPlan, boolean rowStableMatMul) {
        this(root, prefix, seed, precision, convPlan, rowStableMatMul, null);
    }

    /**
     * @param weightCache where an inference graph keeps the weights its layers derive from their variables
     *     ({@link WeightCache}); null to derive them on every run, as a training graph must
     */
    public Params(Ops root, String prefix, long seed, Precision precision, ConvPlan convPlan, boolean rowStableMatMul,
                  WeightCache weightCache) {
        this.root = root;
        this.prefix = prefix;
        this.seed = seed;
        this.precision = precision;
        this.convPlan = convPlan;
        this.rowStableMatMul = rowStableMatMul;
        this.weightCache = weightCache;
    }

    public boolean rowStableMatMul() {
        return rowStableMatMul;
    }

    public Precision precision() {
        return precision;
    }

    public ConvPlan convPlan() {
        return convPlan;
    }

    public String prefix() {
        return prefix;
    }

    /** A trainable variable drawn from N(0, stddev). */
    public Variable<TFloat32> normal(String name, Shape shape, float stddev) {
        var draw = root.random.randomStandardNormal(root.constant(shape.asArray()), TFloat32.class,
                RandomStandardNormal.seed(seed), RandomStandardNormal.seed2(trainable.size() + 1L));
        return add(trainable, name, root.math.mul(draw, root.constant(stddev)));
    }

    /** A trainable variable filled with one value (biases, batch-norm scale and offset). */
    public Variable<TFloat32> filled(String name, Shape shape, float value) {
        return add(trainable, name, root.fill(root.constant(shape.asArray()), root.constant(value)));
    }

    /** A non-trainable variable filled with one value (batch norm's moving statistics). */
    public Variable<TFloat32> statistic(String name, Shape shape, float value) {
        return add(statistics, name, root.fill(root.constant(shape.asArray()), root.constant(value)));
    }

    /**
     * A non-trainable variable drawn from N(0, 1) (spectral norm's power-iteration vector), seeded apart from the
     * trainable weights so that adding one never changes their initial values.
     */
    public Variable<TFloat32> statisticNormal(String name, Shape shape) {
        var draw = root.random.randomStandardNormal(root.constant(shape.asArray()), TFloat32.class,
                RandomStandardNormal.seed(seed), RandomStandardNormal.seed2((1L << 32) + statistics.size() + 1L));
        return add(statistics, name, draw);
    }

    private Variable<TFloat32> add(List<Variable<TFloat32>> list, String name, org.tensorflow.Operand<TFloat32> init) {
        Variable<TFloat32> v = root.withName(prefix + "_" + name).variable(init);
        list.add(v);
        return v;
    }

    /**
     * {@code v}'s value read by {@code tf}'s device, for a layer to compute with. A data-parallel tower reads the
     * first device's variables into its own this way: with oneDNN on (TensorFlow's CPU default), a BiasAdd on
     * another device that takes the variable itself never gets its input (the run hangs).
     */
    public static Operand<TFloat32> read(Ops tf, Variable<TFloat32> v) {
        return tf.identity(v);
    }

    /**
     * {@code derived}, a function of this network's variables alone, for a layer's forward pass in inference: read
     * from the {@link WeightCache} where this network has one, else computed on every run.
     *
     * @param name the variable it derives from, whose name the cache's variable takes
     */
    public Operand<TFloat32> inferenceWeight(Ops tf, Variable<TFloat32> name, Operand<TFloat32> derived) {
        return weightCache == null ? derived : weightCache.of(tf, name.op().name(), derived);
    }

    /** Variables the optimiser moves, in creation order. */
    public List<Variable<TFloat32>> trainable() {
        return Collections.unmodifiableList(trainable);
    }

    /** Moving statistics and power-iteration vectors, updated by assignment rather than by gradients. */
    public List<Variable<TFloat32>> statistics() {
        return Collections.unmodifiableList(statistics);
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Variable<TFloat32> v : trainable) n += v.shape().size();
        return n;
    }
}
