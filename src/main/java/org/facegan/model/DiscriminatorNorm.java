package org.facegan.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What keeps D's layers in range: batch normalisation (DCGAN's, on every convolution but the first), or spectral
 * normalisation of every weight (Miyato et al. 2018, "Spectral Normalization for Generative Adversarial Networks"),
 * which, as in SN-GAN's D, replaces batch norm: D then has no batch statistics, every convolution a bias, and each
 * D(x) depends on x alone. E, built from the same trunk, keeps its batch norm either way.
 */
public enum DiscriminatorNorm {
    BATCH, SPECTRAL;

    /** @param value batch or spectral (any case) */
    @JsonCreator
    public static DiscriminatorNorm parse(String value) {
        for (DiscriminatorNorm n : values()) if (n.toString().equals(value.toLowerCase(Locale.ROOT))) return n;
        throw new IllegalArgumentException("d-norm must be batch or spectral, found '" + value + "'");
    }

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
