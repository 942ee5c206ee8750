package org.facegan.testing;

/**
 * Test tolerances from the arithmetic, not from one processor's results (STYLE.md, rule 21). Two computations of
 * the same real number in float32 differ by their rounding errors; these bound them in units of the format's
 * roundoff and the size of the sums involved, after Higham, "Accuracy and Stability of Numerical Algorithms"
 * (2002), section 4.2: a recursive sum of n terms is within (n - 1)·u·Σ|xᵢ| of the exact sum, in any order.
 * Statistics of seeded random draws get their standard error times {@link #SIGMAS}, and 8-bit pixels and JPEG
 * their quantisation.
 */
public final class Tolerance {
    private Tolerance() {}

    /** float32's unit roundoff: 24 significant bits, so one rounding to nearest moves a value by at most 2^-24 of it. */
    public static final double FLOAT32 = 0x1p-24;

    /** double's unit roundoff: 53 significant bits. */
    public static final double FLOAT64 = 0x1p-53;

    /**
     * One 8-bit level of a pixel in facegan's [-1, 1] (level 0 is -1, level 255 is 1): 2/255. Rounding a value to
     * the nearest level moves it by at most half of this, 1/255.
     */
    public static final double PIXEL_LEVEL = 2.0 / 255;

    /**
     * Standard errors allowed to a statistic of random draws. A statistic that is normal (a mean of many draws, by
     * the central limit theorem) misses by 4 of them with probability 2Φ(−4) = 6·10⁻⁵; Chebyshev bounds that by
     * 1/16 for any distribution. The tests' seeds are fixed, so each passes or fails alike on every machine; this
     * keeps a bound from being one that only the chosen seed passes.
     */
    public static final double SIGMAS = 4;

    /**
     * How far two float32 evaluations of one n-term sum (or dot product) may differ, in any two orders or
     * blockings: each is within (n - 1)·u·Σ|xᵢ| of the exact sum, and a product adds one more rounding per term.
     *
     * @param terms n, the number of terms summed
     * @param sumOfMagnitudes Σ|xᵢ| (for a dot product Σ|aᵢ·bᵢ|), or an upper bound of it
     */
    public static double reorderedSum(long terms, double sumOfMagnitudes) {
        return 2 * terms * FLOAT32 * sumOfMagnitudes;
    }

    /**
     * How far two float32 evaluations of the same computation may drift apart when their largest sums have
     * {@code terms} terms and are taken in other orders: rounding errors of random sign grow like √n·u (Higham,
     * section 2.8, the rule of thumb his experiments bear out), where the worst case n·u is never approached in
     * practice. Eight of those standard deviations: under a Gaussian model a false alarm is then below 1e-14 per
     * element, even over the 10^5 elements a training step's comparison reads. Relative to the compared values' scale.
     */
    public static double reorderedComputation(long terms) {
        return 8 * Math.sqrt(terms) * FLOAT32;
    }

    /** The same bound for sums in double: 2·n·2^-53·Σ|xᵢ|. */
    public static double reorderedSum64(long terms, double sumOfMagnitudes) {
        return 2 * terms * FLOAT64 * sumOfMagnitudes;
    }

    /** How far the mean of n independent draws of standard deviation σ may fall from its expectation: {@link #SIGMAS}·σ/√n. */
    public static double sampleMean(double sigma, long n) {
        return SIGMAS * sigma / Math.sqrt(n);
    }

    /**
     * How far the standard deviation of n independent normal draws may fall from σ: its standard error is σ/√(2n)
     * (large n), times {@link #SIGMAS}.
     */
    public static double sampleStandardDeviation(double sigma, long n) {
        return SIGMAS * sigma / Math.sqrt(2.0 * n);
    }

    /** How far the share of n independent yes/no draws of probability p may fall from p: {@link #SIGMAS}·√(p(1 − p)/n). */
    public static double sampleShare(double p, long n) {
        return sampleMean(Math.sqrt(p * (1 - p)), n);
    }

    /** The IJG standard quantisation tables at quality 50 (ITU-T T.81, Annex K), luminance then chrominance. */
    private static final int[] LUMINANCE = {
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
    private static final int[] CHROMINANCE = {
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

    /**
     * The RMS error per 8-bit RGB channel, in levels, of a JPEG without chroma subsampling at an IJG quality
     * (javax.imageio's quality q is IJG's 100·q), in the quantisation-noise model: the standard tables scaled for
     * the quality give each DCT coefficient a step s, and rounding a coefficient to its step errs by s/√12 RMS
     * (uniform over the step; less for the many small coefficients of a smooth picture, which round to 0). The DCT
     * is orthonormal, so a block's pixels carry the mean of those squares; RGB mixes Y, Cb and Cr (R = Y + 1.402 Cr,
     * G = Y − 0.344 Cb − 0.714 Cr, B = Y + 1.772 Cb), and the two 8-bit roundings (to YCbCr and back) add 1/12 level²
     * each. The mean absolute error of the three channels is at most this (Cauchy–Schwarz). Quality 95 gives 4.1
     * levels, 75 gives 21.
     */
    public static double jpegRms(int quality) {
        double scale = quality < 50 ? 5000.0 / quality : 200 - 2 * quality;
        double luma = 0, chroma = 0;
        for (int k = 0; k < 64; k++) {
            double y = Math.max(1, Math.floor((LUMINANCE[k] * scale + 50) / 100));
            double c = Math.max(1, Math.floor((CHROMINANCE[k] * scale + 50) / 100));
            luma += y * y / 12 / 64;
            chroma += c * c / 12 / 64;
        }
        double red = luma + 1.402 * 1.402 * chroma, green = luma + (0.344136 * 0.344136 + 0.714136 * 0.714136) * chroma;
        double blue = luma + 1.772 * 1.772 * chroma;
        return Math.sqrt((red + green + blue) / 3 + 2.0 / 12);
    }
}
