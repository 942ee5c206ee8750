package org.facegan.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * The evaluation's second judge, x -> the face's nuisance factors (pose, lighting, colours, shape): the
 * {@link Classifier}'s layout with a linear regression head. {@link ConvStack} (the DCGAN trunk, k 4) -> dense
 * {@link #FEATURES} -> leaky ReLU 0.2 (the features a Fréchet distance compares) -> dense F.
 */
public final class NuisanceNet extends Network {
    public static final int FEATURES = 128;
    public static final int WIDTH = 32;

    private final ConvStack trunk;
    private final Dense hidden;
    private final Dense factors;

    /** @param factors F, the number of factors regressed */
    public NuisanceNet(Params params, int imageSize, int factors) {
        super(params);
        this.trunk = new ConvStack(this, Integer.numberOfTrailingZeros(imageSize / 4), 4, WIDTH);
        this.hidden = new Dense(params, "hidden", trunk.features(), FEATURES, true);
        this.factors = new Dense(params, "factors", FEATURES, factors, true);
    }

    /** What the network computes on a batch: the penultimate features [N, 128] and the factors [N, F]. */
    public record Output(Operand<TFloat32> features, Operand<TFloat32> factors) {}

    public Output apply(Ops tf, Operand<TFloat32> x, Mode mode) {
        Ops n = tf.withSubScope("N");
        Operand<TFloat32> f = n.nn.leakyRelu(hidden.apply(n, trunk.apply(n, x, mode)), LeakyRelu.alpha(0.2f)); // [N, 128]
        return new Output(f, factors.apply(n, f));                                                            // [N, F]
    }
}
