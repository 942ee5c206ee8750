package org.facegan.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;

class ParzenWindowTest {
    @Test
    void oneSampleGivesTheGaussianLogDensity() {
        float[] sample = {0, 0}, x = {1, 2};
        double[][] d = ParzenWindow.squaredDistances(x, sample, 2);
        // |x|² + |s|² − 2 x·s in double: 3 sums of 2 products each, terms of size at most |x|² + |s|² + 2|x||s| = 5
        assertThat(d[0][0]).isCloseTo(5, offset(Tolerance.reorderedSum64(3 * 2, 5)));
        double sigma = 0.5;
        double exponent = 5 / (2 * sigma * sigma), normaliser = Math.log(2 * Math.PI * sigma * sigma);
        double expected = -exponent - normaliser;
        // a few double operations (the division, the logarithms within an ulp, the sum) on terms of these sizes
        assertThat(ParzenWindow.meanLogLikelihood(d, sigma, 2)).isCloseTo(expected,
                offset(Tolerance.reorderedSum64(4, exponent + Math.abs(normaliser))));
    }

    @Test
    void samplesFromTheDataDistributionScoreHigherThanNoiseAndTheBandwidthComesFromTheGrid() {
        SplittableRandom random = new SplittableRandom(3);
        int dim = 8, n = 400;
        float[] data = new float[n * dim], validation = new float[n * dim], test = new float[n * dim], noise = new float[n * dim];
        for (float[] a : new float[][] {data, validation, test}) {
            for (int i = 0; i < a.length; i++) a[i] = (float) (0.2 * random.nextGaussian());
        }
        for (int i = 0; i < noise.length; i++) noise[i] = (float) random.nextDouble(-1, 1);
        var good = ParzenWindow.estimate(data, validation, test, dim);
        var bad = ParzenWindow.estimate(noise, validation, test, dim);
        // claims, not roundings, with wide margins: measured 1.07 against −5.73 nats, bandwidths 0.13 against 0.4
        // (the data's spread is 0.2 per pixel, the noise's 0.58)
        assertThat(good.logLikelihood()).isGreaterThan(bad.logLikelihood());
        assertThat(ParzenWindow.BANDWIDTHS).contains(good.bandwidth(), bad.bandwidth());
        assertThat(good.bandwidth()).isLessThan(bad.bandwidth());
    }
}
