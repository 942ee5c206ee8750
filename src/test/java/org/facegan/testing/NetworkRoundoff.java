package org.facegan.testing;

import org.facegan.model.ModelConfig;

/**
 * How far two float32 evaluations of one of facegan's networks may differ, relative to the size of its outputs,
 * when TensorFlow blocks or orders the sums differently: another kernel (a SavedModel run against the training
 * graph, another TensorFlow build, oneDNN's AVX-512 code against AVX2's), another batch size or another thread count.
 *
 * <p>Each layer sums n products per output; by {@link Tolerance#reorderedSum} two orders of it differ by 2·n·u of
 * Σ|wᵢxᵢ|, taken here at the size of the layer's outputs (batch norm keeps the layers at one scale, and weights of
 * both signs cancel little: the first-order model of PrecisionTest), and along the path from input to output the
 * layers' relative errors add. Each layer also gets {@link #ELEMENTWISE} roundings for its elementwise ops. The
 * sums are those of the networks' layouts (model/Generator.java, ConvStack.java, Encoder.java, Discriminator.java).
 */
public final class NetworkRoundoff {
    private NetworkRoundoff() {}

    /** Roundings per layer outside its sum: bias, batch norm's scale and shift, the activation (an approximation within ulps). */
    static final int ELEMENTWISE = 4;

    /**
     * Relative error of G(z, y): dense on z + y, then stride-2 transposed convolutions (⌈k/2⌉² taps of each input
     * channel), and with a hidden layer at full resolution a 3x3 convolution to RGB.
     */
    public static double generator(ModelConfig m, int yDim) {
        int taps = (m.kernel() + 1) / 2 * ((m.kernel() + 1) / 2);
        int channels = m.ngf() << (m.stages() - 1);
        long terms = layer(m.zDim() + yDim);
        for (int i = 1; i < m.stages(); i++, channels /= 2) terms += layer(taps * channels);
        if (m.gTopChannels() > 0) {
            terms += layer(taps * channels) + layer(9 * m.gTopChannels() + 1);           // the top layer, 3x3 to RGB
        } else {
            terms += layer(taps * channels + 1);                                         // to RGB, with its bias
        }
        return Tolerance.reorderedSum(terms, 1);
    }

    /** Relative error of E(x): the convolutional trunk, then dense to z. */
    public static double encoder(ModelConfig m) {
        return Tolerance.reorderedSum(trunk(m, m.nef()) + layer(features(m, m.nef()) + 1), 1);
    }

    /** Relative error of D(x, y)'s logit: the trunk, y joined, the hidden dense layer if any, the logit. */
    public static double discriminator(ModelConfig m, int yDim) {
        int joined = features(m, m.ndf()) + yDim;
        long heads = m.dHidden() > 0 ? layer(joined + 1) + layer(m.dHidden() + 1) : layer(joined + 1);
        return Tolerance.reorderedSum(trunk(m, m.ndf()) + heads, 1);
    }

    /** Relative error of D's attribute logits: the trunk, then dense on its features. */
    public static double attributeHead(ModelConfig m) {
        return Tolerance.reorderedSum(trunk(m, m.ndf()) + layer(features(m, m.ndf()) + 1), 1);
    }

    /** ConvStack: stride-2 convolutions of k² taps of each input channel (3, then width·2^i); a bias on the first. */
    private static long trunk(ModelConfig m, int width) {
        int k2 = m.kernel() * m.kernel();
        long terms = layer(k2 * 3 + 1);
        for (int i = 1; i < m.stages(); i++) terms += layer(k2 * (width << (i - 1)));
        return terms;
    }

    private static int features(ModelConfig m, int width) {
        return 16 * (width << (m.stages() - 1));
    }

    private static long layer(int sum) {
        return sum + ELEMENTWISE;
    }
}
