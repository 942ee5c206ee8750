package org.facegan.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {
    private static float[][] gaussianSample(SplittableRandom random, int n, double[] mean, double[] scale) {
        float[][] rows = new float[n][mean.length];
        for (float[] r : rows) {
            for (int j = 0; j < mean.length; j++) r[j] = (float) (mean[j] + scale[j] * random.nextGaussian());
        }
        return rows;
    }

    private static FrechetDistance.Gaussian gaussian(double[] mean, double[][] covariance) {
        return new FrechetDistance.Gaussian(mean, new DMatrixRMaj(covariance));
    }

    @Test
    void identicalSetsAreAtDistanceZero() {
        float[][] a = gaussianSample(new SplittableRandom(1), 300, new double[] {1, -2, 0.5, 3}, new double[] {1, 2, 0.1, 5});
        assertThat(FrechetDistance.between(a, a)).isCloseTo(0, offset(1e-9));
    }

    @Test
    void matchesTheClosedFormForOneDimensionalAndDiagonalGaussians() {
        // 1-D: (m1 - m2)^2 + (s1 - s2)^2
        assertThat(FrechetDistance.between(gaussian(new double[] {0}, new double[][] {{4}}),
                gaussian(new double[] {3}, new double[][] {{1}}))).isCloseTo(9 + 1, offset(1e-9));
        // diagonal: sum over dimensions
        double d = FrechetDistance.between(gaussian(new double[] {1, 2, 3}, new double[][] {{1, 0, 0}, {0, 9, 0}, {0, 0, 16}}),
                gaussian(new double[] {1, 0, 3}, new double[][] {{4, 0, 0}, {0, 1, 0}, {0, 0, 16}}));
        assertThat(d).isCloseTo(4 + (1 + 4 + 0), offset(1e-9));
    }

    @Test
    void matchesTheClosedFormForTwoFullCovariancesThatDoNotCommute() {
        double[][] a = {{2, 0.5}, {0.5, 1}}, b = {{1, -0.3}, {-0.3, 3}};
        // for a 2x2 matrix with non-negative eigenvalues, tr(M^1/2) = sqrt(tr M + 2 sqrt(det M)), M = A B
        double[][] m = {{a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]},
                {a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]}};
        double traceRoot = Math.sqrt(m[0][0] + m[1][1] + 2 * Math.sqrt(m[0][0] * m[1][1] - m[0][1] * m[1][0]));
        double expected = 0.25 + 1 + (2 + 1) + (1 + 3) - 2 * traceRoot;   // means (0, 0) and (0.5, -1)
        assertThat(FrechetDistance.between(gaussian(new double[] {0, 0}, a), gaussian(new double[] {0.5, -1}, b)))
                .isCloseTo(expected, offset(1e-9));
    }

    @Test
    void isSymmetricAndEstimatesTheDistanceOfTheSampledGaussians() {
        SplittableRandom random = new SplittableRandom(7);
        float[][] a = gaussianSample(random, 20_000, new double[] {0, 0, 0}, new double[] {1, 2, 3});
        float[][] b = gaussianSample(random, 20_000, new double[] {1, 0, -1}, new double[] {1, 1, 1});
        double ab = FrechetDistance.between(a, b), ba = FrechetDistance.between(b, a);
        assertThat(ab).isCloseTo(ba, offset(1e-9 * ab));
        assertThat(ab).isCloseTo(2 + (0 + 1 + 4), offset(0.15)); // |Δμ|² + Σ(σa − σb)²
    }
}
