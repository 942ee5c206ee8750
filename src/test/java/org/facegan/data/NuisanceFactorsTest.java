package org.facegan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The built-in faces' nuisance factors: a pure function of (seed, index), standardised over the reference sample,
 * NaN exactly where a face does not show a factor, and found through the wrappers {@link DataSpec} adds.
 */
class NuisanceFactorsTest {
    static final List<String> NAMES = SyntheticNuisance.NAMES;
    static final int MALE = SyntheticFaces.ATTRIBUTES.indexOf("Male"), BALD = SyntheticFaces.ATTRIBUTES.indexOf("Bald");
    static final int HAIR_VOLUME = NAMES.indexOf("hair_volume"), HAIR_LENGTH = NAMES.indexOf("hair_length");

    @Test
    void aFacesFactorsDependOnlyOnSeedAndIndexNotOnSizeOrCount() {
        SyntheticDataset small = new SyntheticDataset(4, 32, 30), large = new SyntheticDataset(4, 64, 12);
        SyntheticNuisance nuisance = new SyntheticNuisance(4);
        assertThat(small.factorNames()).isEqualTo(NAMES).hasSize(21);
        for (int i = 0; i < 12; i++) {
            assertThat(small.factors(i)).hasSize(NAMES.size())
                    .isEqualTo(large.factors(i))
                    .isEqualTo(nuisance.factors(SyntheticFaces.recipe(4, i)));
        }
        assertThat(small.factors(0)).isNotEqualTo(new SyntheticDataset(5, 32, 1).factors(0));
    }

    /**
     * Over the reference sample the standardisation is exact up to rounding: each value is rounded once to float
     * (relative error 2^-24 ≈ 6e-8 of values below 5 in magnitude), then summed in double over 4096 faces, so the mean
     * is off by at most ~3e-7 and the variance by ~1e-6; 1e-5 leaves a wide margin. On the next 4096 faces the
     * moments differ only by sampling: the standard error of a mean of 4096 unit-variance values is 1/64 ≈ 0.016
     * (bound 0.08, 5 SE), and of a variance at most √(κ−1)/64 ≈ 0.03 for these near-uniform draws (bound 0.15).
     */
    @Test
    void everyFactorHasZeroMeanAndUnitVarianceOverTheReferenceFacesAndCloseToItOnOthers() {
        SyntheticNuisance nuisance = new SyntheticNuisance(0);
        int n = SyntheticNuisance.REFERENCE_FACES;
        double[][] reference = moments(nuisance, 0, n), others = moments(nuisance, n, 2 * n);
        for (int k = 0; k < NAMES.size(); k++) {
            assertThat(reference[0][k]).as("mean of " + NAMES.get(k)).isCloseTo(0, within(1e-5));
            assertThat(reference[1][k]).as("variance of " + NAMES.get(k)).isCloseTo(1, within(1e-5));
            assertThat(others[0][k]).as("mean of " + NAMES.get(k) + " on other faces").isCloseTo(0, within(0.08));
            assertThat(others[1][k]).as("variance of " + NAMES.get(k) + " on other faces").isCloseTo(1, within(0.15));
        }
    }

    /** Mean and variance (over the faces that show it) of each factor of faces from .. to-1. */
    private static double[][] moments(SyntheticNuisance nuisance, int from, int to) {
        double[] sum = new double[NAMES.size()], squares = new double[NAMES.size()], count = new double[NAMES.size()];
        for (int i = from; i < to; i++) {
            float[] f = nuisance.factors(SyntheticFaces.recipe(0, i));
            for (int k = 0; k < f.length; k++) {
                if (Float.isNaN(f[k])) continue;
                sum[k] += f[k];
                squares[k] += (double) f[k] * f[k];
                count[k]++;
            }
        }
        double[][] out = new double[2][NAMES.size()];
        for (int k = 0; k < NAMES.size(); k++) {
            out[0][k] = sum[k] / count[k];
            out[1][k] = squares[k] / count[k] - out[0][k] * out[0][k];
        }
        return out;
    }

    @Test
    void aFactorIsNaNExactlyWhereTheFaceDoesNotShowIt() {
        SyntheticNuisance nuisance = new SyntheticNuisance(0);
        int bald = 0, longHair = 0;
        for (int i = 0; i < 2000; i++) {
            float[] y = SyntheticFaces.attributes(0, i), f = nuisance.factors(SyntheticFaces.recipe(0, i));
            boolean isBald = y[BALD] == 1, isMale = y[MALE] == 1;
            for (int k = 0; k < f.length; k++) {
                boolean hidden = k == HAIR_VOLUME ? isBald : k == HAIR_LENGTH ? isBald || isMale : false;
                assertThat(Float.isNaN(f[k])).as(NAMES.get(k) + " of face " + i).isEqualTo(hidden);
            }
            if (isBald) bald++;
            if (!isBald && !isMale) longHair++;
        }
        // both kinds of hidden factor occur: P(bald) = 0.5·0.32 + 0.5·0.02 = 0.17, 340 ± 17 of 2000 (± 5 SD);
        // P(long hair) = 0.5·0.98 = 0.49, 980 ± 22
        assertThat(bald).as("bald faces").isBetween(255, 425);
        assertThat(longHair).as("long-haired faces").isBetween(870, 1090);
    }

    @Test
    void areFoundThroughAttributeSelectionAndHeadAndAreAbsentForPhotos() {
        SyntheticDataset all = new SyntheticDataset(0, 32, 30);
        FaceDataset selected = DataSpec.parse("synthetic:30,attrs=Smiling;Male").open(32, null, i -> {});
        FaceDataset head = new DatasetHead(all, 20); // what openFirst makes of a photo dataset
        assertThat(selected).isNotInstanceOf(NuisanceFactors.class);
        for (FaceDataset wrapped : List.of(selected, head)) {
            NuisanceFactors factors = NuisanceFactors.of(wrapped).orElseThrow();
            assertThat(factors.factorNames()).isEqualTo(NAMES);
            assertThat(factors.factors(17)).isEqualTo(all.factors(17));
        }
        assertThat(NuisanceFactors.of(Fixtures.noiseFaces(20, 16, 2))).isEmpty();
    }

    @Test
    void factorsAreCopiesAndIndicesAreChecked() {
        SyntheticDataset data = new SyntheticDataset(0, 32, 3);
        float first = data.factors(1)[0];
        data.factors(1)[0] = 99;
        assertThat(data.factors(1)[0]).isEqualTo(first);
        assertThatThrownBy(() -> data.factors(3)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("3");
    }
}
