package org.facegan.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.facegan.testing.Tolerance;
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

    /**
     * How far a double evaluation of the distance may be from the exact one (STYLE.md rule 21), for d dimensions
     * where M = Σp^½ Σq Σp^½ has its eigenvalues in [smallest, largest] and the terms of the sum are at most `size`
     * together. The eigensolver is backward stable: it moves M's eigenvalues by about d·2^-53·largest (Weyl), and
     * each square root turns an error δ at an eigenvalue λ into δ/(2√λ). The cross trace sums d roots and counts
     * twice; as much again covers Σp^½ itself (the same kind of error, at Σp's own eigenvalues, which are no worse)
     * and the products forming M. The rest is a sum of 2d + 2 terms.
     */
    static double roundoff(int d, double largest, double smallest, double size) {
        double roots = d * (d * Tolerance.FLOAT64 * largest) / (2 * Math.sqrt(smallest));
        return 2 * 2 * roots + Tolerance.reorderedSum64(2 * d + 2, size);
    }

    @Test
    void identicalSetsAreAtDistanceZero() {
        double[] scale = {1, 2, 0.1, 5};
        float[][] a = gaussianSample(new SplittableRandom(1), 300, new double[] {1, -2, 0.5, 3}, scale);
        // Σ's eigenvalues are about the squared scales, 0.01 to 25 (Σ is nearly diagonal), so M = Σ² has 1e-4 to 625;
        // the terms are tr Σ twice and 2 tr Σ, about 4·30
        assertThat(FrechetDistance.between(a, a)).isCloseTo(0, offset(roundoff(4, 625, 1e-4, 4 * 30)));
    }

    @Test
    void matchesTheClosedFormForOneDimensionalAndDiagonalGaussians() {
        // 1-D: (m1 - m2)^2 + (s1 - s2)^2
        // M = 2·1·2 = 4; terms 9, 4, 1 and 2·2
        assertThat(FrechetDistance.between(gaussian(new double[] {0}, new double[][] {{4}}),
                gaussian(new double[] {3}, new double[][] {{1}}))).isCloseTo(9 + 1, offset(roundoff(1, 4, 4, 9 + 4 + 1 + 4)));
        // diagonal: sum over dimensions; M = diag(4, 9, 256), terms 4, 26, 21 and 2·21
        double d = FrechetDistance.between(gaussian(new double[] {1, 2, 3}, new double[][] {{1, 0, 0}, {0, 9, 0}, {0, 0, 16}}),
                gaussian(new double[] {1, 0, 3}, new double[][] {{4, 0, 0}, {0, 1, 0}, {0, 0, 16}}));
        assertThat(d).isCloseTo(4 + (1 + 4 + 0), offset(roundoff(3, 256, 4, 4 + 26 + 21 + 42)));
    }

    @Test
    void matchesTheClosedFormForTwoFullCovariancesThatDoNotCommute() {
        double[][] a = {{2, 0.5}, {0.5, 1}}, b = {{1, -0.3}, {-0.3, 3}};
        // for a 2x2 matrix with non-negative eigenvalues, tr(M^1/2) = sqrt(tr M + 2 sqrt(det M)), M = A B
        double[][] m = {{a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]},
                {a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]}};
        double traceRoot = Math.sqrt(m[0][0] + m[1][1] + 2 * Math.sqrt(m[0][0] * m[1][1] - m[0][1] * m[1][0]));
        double expected = 0.25 + 1 + (2 + 1) + (1 + 3) - 2 * traceRoot;   // means (0, 0) and (0.5, -1)
        // A's eigenvalues are 0.79 and 2.21, B's 0.96 and 3.04, so M's lie in [0.79·0.96, 2.21·3.04]; the terms
        // are 1.25, 3, 4 and 2·traceRoot < 2·3, and the closed form above rounds about as much again
        double bound = 2 * roundoff(2, 2.21 * 3.04, 0.79 * 0.96, 1.25 + 3 + 4 + 6);
        assertThat(FrechetDistance.between(gaussian(new double[] {0, 0}, a), gaussian(new double[] {0.5, -1}, b)))
                .isCloseTo(expected, offset(bound));
    }

    @Test
    void isSymmetricAndEstimatesTheDistanceOfTheSampledGaussians() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 20_000;
        double[] meanA = {0, 0, 0}, scaleA = {1, 2, 3}, meanB = {1, 0, -1}, scaleB = {1, 1, 1};
        float[][] a = gaussianSample(random, n, meanA, scaleA);
        float[][] b = gaussianSample(random, n, meanB, scaleB);
        double ab = FrechetDistance.between(a, b), ba = FrechetDistance.between(b, a);
        // the two orders compute M from Σa^½ Σb Σa^½ and from Σb^½ Σa Σb^½, both with eigenvalues about 1 to 9;
        // each is within roundoff of the exact distance; the terms are 2, 14 + 3 and 2·6
        assertThat(ab).isCloseTo(ba, offset(2 * roundoff(3, 9, 1, 2 + 17 + 12)));
        // the estimate's sampling error, by the delta method (the off-diagonal covariances enter only to second
        // order): the mean term moves by 2Δμ·(the two means' errors), of variance 4 Σⱼ Δμⱼ² (σaⱼ² + σbⱼ²)/n, and a
        // fitted σ by σ/√(2n), so (σa − σb)² by 2(σa − σb)·√((σa² + σb²)/2n). Its bias, tr(Σa + Σb)/n, is 100 times
        // smaller than that standard error, 0.083 (measured: 6.93, 0.8 of it off). The former bound, 0.15, was 1.8
        // standard errors: this seed passed it, one in 14 would not.
        double expected = 0, variance = 0;
        for (int j = 0; j < 3; j++) {
            double dMean = meanA[j] - meanB[j], dScale = scaleA[j] - scaleB[j], both = scaleA[j] * scaleA[j] + scaleB[j] * scaleB[j];
            expected += dMean * dMean + dScale * dScale;                            // |Δμ|² + Σ(σa − σb)² = 2 + 5
            variance += 4 * dMean * dMean * both / n + 4 * dScale * dScale * both / (2.0 * n);
        }
        assertThat(ab).isCloseTo(expected, offset(Tolerance.SIGMAS * Math.sqrt(variance)));
    }
}
