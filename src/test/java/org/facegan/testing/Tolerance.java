package org.facegan.testing;

/**
 * Test tolerances from the arithmetic, not from one processor's results (STYLE.md, rule 21). Two computations of
 * the same real number in float32 differ by their rounding errors; these bound them in units of the format's
 * roundoff and the size of the sums involved, after Higham, "Accuracy and Stability of Numerical Algorithms"
 * (2002), section 4.2: a recursive sum of n terms is within (n - 1)·u·Σ|xᵢ| of the exact sum, in any order.
 */
public final class Tolerance {
    private Tolerance() {}

    /** float32's unit roundoff: 24 significant bits, so one rounding to nearest moves a value by at most 2^-24 of it. */
    public static final double FLOAT32 = 0x1p-24;

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
}
