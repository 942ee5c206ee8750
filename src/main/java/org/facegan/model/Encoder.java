package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * E(x) -> z: an image encoder shaped like D (as in the photo-editing post the project grew from), trained to
 * invert G so that faces can be edited in z. L x [conv k stride 2 -> BN (not on the first) -> leaky ReLU 0.2]
 * -> flatten -> dense zDim (linear: z is Gaussian, not bounded).
 */
public final class Encoder extends Network {
    private final List<Conv2D> convs = new ArrayList<>();
    private final List<BatchNorm> convNorms = new ArrayList<>();
    private final Dense toZ;
    private final int features;

    public Encoder(Params params, ModelConfig config) {
        super(params);
        int in = 3;
        for (int i = 0; i < config.stages(); i++) {
            int out = config.nef() << i;
            convs.add(new Conv2D(params, "conv" + (i + 1), config.kernel(), in, out, i == 0));
            convNorms.add(i == 0 ? null : batchNorm("conv" + (i + 1) + "_bn", out));
            in = out;
        }
        this.features = 16 * in;
        this.toZ = new Dense(params, "z", features, config.zDim(), true);
    }

    /** @return z [N, zDim] */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Mode mode) {
        Ops e = tf.withSubScope("E");
        Operand<TFloat32> h = x;                                                          // [N, S, S, 3]
        for (int i = 0; i < convs.size(); i++) {
            h = convs.get(i).apply(e, h);                                                 // [N, S/2^(i+1), ., nef*2^i]
            if (convNorms.get(i) != null) h = convNorms.get(i).apply(e, h, mode);
            h = e.nn.leakyRelu(h, LeakyRelu.alpha(0.2f));
        }
        h = e.reshape(h, e.constant(new long[] {-1, features}));                         // [N, 16*c]
        return toZ.apply(e, h);                                                           // [N, zDim]
    }
}
