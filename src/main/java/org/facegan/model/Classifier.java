package org.facegan.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * The evaluation's attribute classifier, x -> per-attribute logits, independent of the GAN it judges:
 * {@link ConvStack} (the DCGAN trunk, k 4) -> dense {@link #FEATURES} -> leaky ReLU 0.2 (the features the Fréchet
 * distance compares) -> dense A.
 */
public final class Classifier extends Network {
    public static final int FEATURES = 128;
    public static final int WIDTH = 32;

    private final ConvStack trunk;
    private final Dense hidden;
    private final Dense logits;

    public Classifier(Params params, int imageSize, int attributes) {
        super(params);
        this.trunk = new ConvStack(this, Integer.numberOfTrailingZeros(imageSize / 4), 4, WIDTH);
        this.hidden = new Dense(params, "hidden", trunk.features(), FEATURES, true);
        this.logits = new Dense(params, "logits", FEATURES, attributes, true);
    }

    /** What the classifier computes on a batch: the penultimate features [N, 128] and the logits [N, A]. */
    public record Output(Operand<TFloat32> features, Operand<TFloat32> logits) {}

    public Output apply(Ops tf, Operand<TFloat32> x, Mode mode) {
        Ops c = tf.withSubScope("C");
        Operand<TFloat32> f = c.nn.leakyRelu(hidden.apply(c, trunk.apply(c, x, mode)), LeakyRelu.alpha(0.2f));
        return new Output(f, logits.apply(c, f));
    }
}
