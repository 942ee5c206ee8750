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

    public Encoder(Params params, ModelConfig config) {
        super(params);
        this.trunk = new ConvStack(this, config, config.nef());
        this.toZ = new Dense(params, "z", trunk.features(), config.zDim(), true);
    }

    /** @return z [N, zDim] */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Mode mode) {
        Ops e = tf.withSubScope("E");
        return toZ.apply(e, trunk.apply(e, x, mode));                                     // [N, zDim]
    }
}
