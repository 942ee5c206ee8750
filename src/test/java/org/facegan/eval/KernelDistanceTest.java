package org.facegan.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelDistanceTest {
    /** Unit roundoff of double and of float. */
    private static final double U = 0x1p-53, U_FLOAT = 0x1p-24;

    private static float[][] gaussian(SplittableRandom random, int n, int dim, double shift) {
        float[][] rows = new float[n][dim];
        for (float[] r : rows) for (int j = 0; j < dim; j++) r[j] = (float) (shift + random.nextGaussian());
        return rows;
    }

    private static double[][] widen(float[][] rows) {
        double[][] out = new double[rows.length][rows[0].length];
        for (int i = 0; i < rows.length; i++) for (int j = 0; j < rows[i].length; j++) out[i][j] = rows[i][j];
        return out;
    }

    /** Mean |k| over the pairs of each of the three sums: the scale that every rounding bound below multiplies. */
    private static double kernelScale(float[][] a, float[][] b) {
        double[][] x = widen(a), y = widen(b);
        double aa = 0, bb = 0, ab = 0;
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x.length; j++) if (i != j) aa += Math.abs(KernelDistance.kernel(x[i], x[j]));
        for (int i = 0; i < y.length; i++) for (int j = 0; j < y.length; j++) if (i != j) bb += Math.abs(KernelDistance.kernel(y[i], y[j]));
        for (double[] xi : x) for (double[] yj : y) ab += Math.abs(KernelDistance.kernel(xi, yj));
        return aa / (x.length * (x.length - 1.0)) + bb / (y.length * (y.length - 1.0)) + 2 * ab / (x.length * (double) y.length);
    }

    /** The biased (V-statistic) MMD²: the diagonal k(x, x) included and every sum divided by the square of its size. */
    private static double mmd2Biased(float[][] a, float[][] b) {
        double[][] x = widen(a), y = widen(b);
        double aa = 0, bb = 0, ab = 0;
        for (double[] xi : x) for (double[] xj : x) aa += KernelDistance.kernel(xi, xj);
        for (double[] yi : y) for (double[] yj : y) bb += KernelDistance.kernel(yi, yj);
        for (double[] xi : x) for (double[] yj : y) ab += KernelDistance.kernel(xi, yj);
        return aa / ((double) x.length * x.length) + bb / ((double) y.length * y.length) - 2 * ab / ((double) x.length * y.length);
    }

    @Test
    void theKernelIsTheCubeOfTheScaledDotProductPlusOne() {
        // d = 2: x·y = 1·3 + 2·(−1) = 1, so (1/2 + 1)³ = 3.375 (every step exact in binary)
        assertThat(KernelDistance.kernel(new double[] {1, 2}, new double[] {3, -1})).isEqualTo(3.375);
        // d = 1: (2·3 + 1)³ = 343
        assertThat(KernelDistance.kernel(new double[] {2}, new double[] {3})).isEqualTo(343);
    }

    @Test
    void matchesAHandComputedExampleWithSetsOfDifferentSizes() {
        // d = 1, k(x, y) = (xy + 1)³; a = {0, 1, 2}, b = {−1, 1}
        // a pairs: k(0,1) = 1, k(0,2) = 1, k(1,2) = 3³ = 27; Σ_{i≠j} = 2·29 = 58, / (3·2) = 29/3
        // b pairs: k(−1,1) = 0³ = 0; / (2·1) = 0
        // cross: k(0,−1) = 1, k(0,1) = 1, k(1,−1) = 0, k(1,1) = 8, k(2,−1) = (−1)³ = −1, k(2,1) = 27; Σ = 36, / (3·2) = 6
        // MMD²ᵤ = 29/3 + 0 − 2·6 = −7/3: negative, as an unbiased estimate may be
        float[][] a = {{0}, {1}, {2}}, b = {{-1}, {1}};
        // kernel values are small integers (exact); the three divisions and two additions round, each by at most
        // 2⁻⁵³ of a value ≤ 12: 5 · 12 · 2⁻⁵³
        assertThat(KernelDistance.mmd2Unbiased(a, b)).isCloseTo(-7.0 / 3, offset(5 * 12 * U));
        assertThat(KernelDistance.mmd2Unbiased(b, a)).isCloseTo(-7.0 / 3, offset(5 * 12 * U));
    }

    @Test
    void isUnbiasedForTwoSamplesOfOneDistributionWhereTheVStatisticIsNot() {
        // 400 independent pairs of sets of 20 from one 4-D Gaussian: the true MMD² is 0, so the unbiased estimates
        // average to 0 within a few standard errors of their own spread. The V-statistic adds (about) (1/m + 1/n) ×
        // (E k(x, x) − E k(x, x')) ≈ 0.1 · (12 − 1.75) ≈ 1 and so sits many standard errors above 0.
        SplittableRandom random = new SplittableRandom(23);
        int reps = 400;
        double[] unbiased = new double[reps], biased = new double[reps];
        for (int r = 0; r < reps; r++) {
            float[][] a = gaussian(random, 20, 4, 0), b = gaussian(random, 20, 4, 0);
            unbiased[r] = KernelDistance.mmd2Unbiased(a, b);
            biased[r] = mmd2Biased(a, b);
        }
        double[] u = meanAndStandardError(unbiased), v = meanAndStandardError(biased);
        assertThat(Math.abs(u[0])).isLessThanOrEqualTo(4 * u[1]);
        assertThat(v[0]).isGreaterThan(4 * v[1]);
        assertThat(v[0]).isGreaterThan(10 * Math.abs(u[0]));
    }

    private static double[] meanAndStandardError(double[] values) {
        double mean = 0;
        for (double v : values) mean += v / values.length;
        double variance = 0;
        for (double v : values) variance += (v - mean) * (v - mean) / (values.length - 1);
        return new double[] {mean, Math.sqrt(variance / values.length)};
    }

    @Test
    void growsWithAMeanShift() {
        // the same draws shifted by 0, 0.25, 0.5 and 1 in every dimension: the linear part of the kernel alone adds
        // 3 |Δμ|² / d = 3 δ² to the population MMD² (0.19 at δ = 0.25), far above this size's noise
        SplittableRandom random = new SplittableRandom(5);
        float[][] a = gaussian(random, 300, 8, 0);
        double[] shifts = {0, 0.25, 0.5, 1};
        double[] mmd2 = new double[shifts.length];
        for (int s = 0; s < shifts.length; s++) mmd2[s] = KernelDistance.mmd2Unbiased(a, gaussian(new SplittableRandom(6), 300, 8, shifts[s]));
        assertThat(Math.abs(mmd2[0])).isLessThan(0.05);
        for (int s = 1; s < shifts.length; s++) assertThat(mmd2[s]).isGreaterThan(mmd2[s - 1] + 0.1);
        KernelDistance.Estimate near = KernelDistance.estimate(a, gaussian(new SplittableRandom(6), 300, 8, 0.25), 20, 100, 1);
        KernelDistance.Estimate far = KernelDistance.estimate(a, gaussian(new SplittableRandom(6), 300, 8, 0.5), 20, 100, 1);
        assertThat(far.mean()).isGreaterThan(near.mean() + 2 * (far.std() + near.std()));
    }

    @Test
    void isSymmetric() {
        SplittableRandom random = new SplittableRandom(9);
        float[][] a = gaussian(random, 40, 6, 0), b = gaussian(random, 30, 6, 0.3);
        // the same kernel values (x·y rounds as y·x), summed in another order: each order's error is at most
        // (m + n) · 2⁻⁵³ times the sum of |k| (nested recursive sums), plus 4 roundings combining the three terms
        double tolerance = 2 * (40 + 30 + 4) * U * kernelScale(a, b);
        assertThat(KernelDistance.mmd2Unbiased(a, b)).isCloseTo(KernelDistance.mmd2Unbiased(b, a), offset(tolerance));
    }

    @Test
    void anEstimateOverTheWholeSetsIsTheWholeSetsMmd() {
        SplittableRandom random = new SplittableRandom(11);
        float[][] a = gaussian(random, 60, 5, 0), b = gaussian(random, 60, 5, 0.2);
        KernelDistance.Estimate whole = KernelDistance.estimate(a, b, 7, 1000, 3);
        assertThat(whole.subsetSize()).isEqualTo(60); // clamped to the sets' size
        assertThat(whole.subsets()).isEqualTo(7);
        // the cached kernel values are floats (relative error ≤ 2⁻²⁴ each, so the MMD² moves by at most 2⁻²⁴ times
        // the kernel scale) and both sides add in double (≤ (m + n + 4) · 2⁻⁵³ each, as in isSymmetric)
        double scale = kernelScale(a, b), tolerance = (U_FLOAT + 2 * (60 + 60 + 4) * U) * scale;
        double exact = KernelDistance.mmd2Unbiased(a, b);
        assertThat(whole.mean()).isCloseTo(exact, offset(tolerance));
        // every subset is the whole sets in the same (sorted) order, so every estimate has the same bits; only the
        // mean's 7 divisions and additions round (≤ 14 · 2⁻⁵³ |mean|), and the deviation is at most that
        assertThat(whole.std()).isLessThanOrEqualTo(14 * U * Math.abs(whole.mean()));
    }

    @Test
    void cachedAndUncachedKernelsGiveTheSameEstimate() {
        SplittableRandom random = new SplittableRandom(13);
        float[][] a = gaussian(random, 120, 5, 0), b = gaussian(random, 90, 5, 0.1);
        KernelDistance.Estimate cached = KernelDistance.estimate(a, b, 30, 40, 4);
        KernelDistance.Estimate direct = KernelDistance.estimate(a, b, 30, 40, 4, 0);
        // the same subsets; cached values are floats: per subset ≤ 2⁻²⁴ times its kernel scale, which is at most the
        // largest |k| between any rows times 4, bounded here by the whole sets' largest kernel value
        double largest = 0;
        double[][] x = widen(a), y = widen(b);
        for (double[][] p : new double[][][] {x, y}) for (double[][] q : new double[][][] {x, y}) {
            for (double[] r : p) for (double[] s : q) largest = Math.max(largest, Math.abs(KernelDistance.kernel(r, s)));
        }
        double tolerance = 4 * largest * (U_FLOAT + 2 * (40 + 40 + 4) * U);
        assertThat(cached.mean()).isCloseTo(direct.mean(), offset(tolerance));
        assertThat(cached.std()).isCloseTo(direct.std(), offset(tolerance));
        assertThat(cached.subsetSize()).isEqualTo(40);
    }

    @Test
    void theSeedFixesTheSubsets() {
        SplittableRandom random = new SplittableRandom(17);
        float[][] a = gaussian(random, 200, 4, 0), b = gaussian(random, 200, 4, 0);
        assertThat(KernelDistance.estimate(a, b, 10, 50, 8)).isEqualTo(KernelDistance.estimate(a, b, 10, 50, 8));
        assertThat(KernelDistance.estimate(a, b, 10, 50, 8).mean()).isNotEqualTo(KernelDistance.estimate(a, b, 10, 50, 9).mean());
    }

    @Test
    void rejectsSetsItCannotScore() {
        float[][] two = {{0, 1}, {1, 0}};
        assertThatThrownBy(() -> KernelDistance.mmd2Unbiased(new float[][] {{0, 1}}, two))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2").hasMessageContaining("found 1");
        assertThatThrownBy(() -> KernelDistance.mmd2Unbiased(two, new float[][] {{0, 1, 2}, {1, 2, 3}}))
                .hasMessageContaining("found 2 and 3");
        assertThatThrownBy(() -> KernelDistance.mmd2Unbiased(two, new float[][] {{0, 1}, {1}}))
                .hasMessageContaining("dimension 2").hasMessageContaining("row 1 of b has 1");
        assertThatThrownBy(() -> KernelDistance.estimate(two, two, 0, 10, 1)).hasMessageContaining("subsets must be >= 1, found 0");
        assertThatThrownBy(() -> KernelDistance.estimate(two, two, 5, 1, 1)).hasMessageContaining("subsetSize must be >= 2, found 1");
    }
}
