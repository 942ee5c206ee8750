package org.facegan.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * E(x) -> z: an image encoder shaped like D (as in the photo-editing post the project grew from), trained to
 * invert G so that faces can be edited in z. {@link ConvStack} with nef channels -> dense zDim (linear: z is
 * Gaussian, not bounded).
 */
public final class Encoder extends Network {
    private final ConvStack trunk;
    private final Dense toZ;
    private final Dense toLogVariance;

    public Encoder(Params params, ModelConfig config) {
        this(params, config, false);
    }

    /**
     * @param variational whether E also has a log-variance head (VAE/GAN): then {@link #apply} is the posterior's
     *     mean μ and {@link #posterior} gives (μ, log σ²)
     */
    public Encoder(Params params, ModelConfig config, boolean variational) {
        super(params);
        this.trunk = new ConvStack(this, config, config.nef());
        this.toZ = new Dense(params, "z", trunk.features(), config.zDim(), true);
        this.toLogVariance = variational ? new Dense(params, "logvar", trunk.features(), config.zDim(), true) : null;
    }

    /** @return z [N, zDim] (the posterior mean of a variational E) */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Mode mode) {
        return apply(tf, Towers.of(x), mode).joined(tf);
    }

    /** The same over towers. */
    public Towers apply(Ops tf, Towers x, Mode mode) {
        Ops e = tf.withSubScope("E");
        return trunk.apply(e, x, mode).map(e, toZ::apply);                                // [N, zDim]
    }

    /** A variational E's q(z | x) = N(μ, σ²). */
    public record Posterior(Operand<TFloat32> mean, Operand<TFloat32> logVariance) {}

    public Posterior posterior(Ops tf, Operand<TFloat32> x, Mode mode) {
        return posterior(tf, Towers.of(x), mode);
    }

    /** The same over towers, the (small) results joined into whole-batch tensors. */
    public Posterior posterior(Ops tf, Towers x, Mode mode) {
        if (toLogVariance == null) throw new IllegalStateException("E was built without a log-variance head");
        Ops e = tf.withSubScope("E");
        Towers f = trunk.apply(e, x, mode);
        return new Posterior(f.map(e, toZ::apply).joined(e), f.map(e, toLogVariance::apply).joined(e)); // [N, zDim] each
    }
}
