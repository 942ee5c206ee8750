package org.facegan.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The VAE/GAN hybrid's weights and terms (Larsen et al. 2016, "Autoencoding beyond pixels using a learned
 * similarity metric"; the ending of seed 003, "Generating Faces with Torch"): E gives q(z | x) = N(μ, σ²),
 * z = μ + σ·ε, and G is the VAE's decoder.
 * Per image and pixel: E minimises {@code recon}·‖G(z, y) − x‖²/P + {@code kl}·KL(q ‖ N(0, I))/P; G (the
 * decoder) minimises {@code recon}·‖G(z, y) − x‖²/P plus {@code gan}·(its GAN loss on reconstructions and on prior
 * samples); D learns real faces against both. With recon = kl = 1 the E and decoder terms are a Gaussian VAE whose
 * pixel variance is ½ (pixels in [-1, 1]).
 *
 * @param reconWeight weight of the pixel reconstruction error (mean over pixels)
 * @param klWeight weight of the KL divergence to the prior, divided by the pixel count
 * @param ganWeight weight of the decoder's GAN loss; 0 trains a plain (conditional) VAE
 */
public record VaeGan(float reconWeight, float klWeight, float ganWeight) {
    public static final float DEFAULT_RECON = 1f, DEFAULT_KL = 1f;
    /** The GAN loss (about 1 to 5) next to a pixel error of about 0.05: 0.02 lets both shape the decoder. */
    public static final float DEFAULT_GAN = 0.02f;

    public VaeGan {
        check("--recon-weight", reconWeight);
        check("--kl-weight", klWeight);
        check("--gan-weight", ganWeight);
        if (reconWeight == 0) throw new IllegalArgumentException("--recon-weight must be above 0 in vaegan mode");
    }

    private static void check(String option, float value) {
        if (!(value >= 0 && value <= 100)) throw new IllegalArgumentException(option + " must be in [0, 100], found " + value);
    }

    /** KL(N(μ, σ²) ‖ N(0, I)) per image, summed over z's dimensions, averaged over the batch: Σ ½(μ² + σ² − log σ² − 1). */
    public static Operand<TFloat32> kl(Ops tf, Operand<TFloat32> mean, Operand<TFloat32> logVariance) {
        Operand<TFloat32> perDimension = tf.math.mul(tf.constant(0.5f), tf.math.sub(tf.math.add(tf.math.square(mean),
                tf.math.sub(tf.math.exp(logVariance), logVariance)), tf.constant(1f)));
        return tf.math.mean(tf.reduceSum(perDimension, tf.constant(1)), tf.constant(0));
    }

    /** z = μ + exp(½ log σ²)·ε: the reparameterisation that lets gradients reach μ and σ. */
    public static Operand<TFloat32> sample(Ops tf, Operand<TFloat32> mean, Operand<TFloat32> logVariance,
                                           Operand<TFloat32> noise) {
        return tf.math.add(mean, tf.math.mul(tf.math.exp(tf.math.mul(tf.constant(0.5f), logVariance)), noise));
    }
}
