package org.facegan.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParzenWindowTest {
    @Test
    void oneSampleGivesTheGaussianLogDensity() {
        float[] sample = {0, 0}, x = {1, 2};
        double[][] d = ParzenWindow.squaredDistances(x, sample, 2);
        assertThat(d[0][0]).isCloseTo(5, offset(1e-9));
        double sigma = 0.5;
        double expected = -5 / (2 * sigma * sigma) - Math.log(2 * Math.PI * sigma * sigma);
        assertThat(ParzenWindow.meanLogLikelihood(d, sigma, 2)).isCloseTo(expected, offset(1e-9));
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
        assertThat(good.logLikelihood()).isGreaterThan(bad.logLikelihood());
        assertThat(ParzenWindow.BANDWIDTHS).contains(good.bandwidth(), bad.bandwidth());
        assertThat(good.bandwidth()).isLessThan(bad.bandwidth());
    }
}
