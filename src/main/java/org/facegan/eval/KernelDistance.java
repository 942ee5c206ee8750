package org.facegan.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The kernel distance (KID) of Bińkowski et al. 2018, "Demystifying MMD GANs": the unbiased estimate of the squared
 * maximum mean discrepancy between two sets of feature vectors under the cubic polynomial kernel
 * k(x, y) = (xᵀy / d + 1)³, d the dimension (sklearn's {@code polynomial_kernel} defaults, as their code uses):
 *
 * <pre>
 * MMD²ᵤ = Σ_{i≠j} k(aᵢ, aⱼ) / (m(m−1)) + Σ_{i≠j} k(bᵢ, bⱼ) / (n(n−1)) − 2 Σ_{i,j} k(aᵢ, bⱼ) / (mn)
 * </pre>
 *
 * Its expectation is the population MMD², so it is 0 on average for two samples of one distribution and can be
 * negative for one pair of sets; unlike the Fréchet distance it needs no Gaussian assumption and is unbiased at any set
 * size. KID is reported as in their reference code ({@code polynomial_mmd_averages}) and torch-fidelity: the mean and
 * the standard deviation of the estimate over {@link #SUBSETS_DEFAULT} random subsets of {@link #SUBSET_SIZE_DEFAULT}
 * vectors from each set. Kernel values are computed in double and all sums accumulate in double.
 */
public final class KernelDistance {
    /** Subsets per estimate: torch-fidelity's and Bińkowski's scripts' 100 (the function's own default is 50). */
    public static final int SUBSETS_DEFAULT = 100;
    /** Vectors drawn from each set per subset, as Bińkowski's reference code. */
    public static final int SUBSET_SIZE_DEFAULT = 1000;
    /**
     * The most kernel values {@link #estimate} keeps (as floats, 4 bytes each: 256 MiB) to reuse across subsets; sets
     * that would need more are scored subset by subset instead, which is slower. 2^26 covers two sets of 4700.
     */
    static final long CACHED_KERNEL_VALUES_MAX = 1L << 26;

    private KernelDistance() {}

    /**
     * KID over random subsets.
     *
     * @param mean the mean of the unbiased MMD² estimates over the subsets
     * @param std their standard deviation over the subsets (population, as {@code numpy.std} in the reference code);
     *     0 when the subsets are the whole sets
     * @param subsets how many subsets were drawn
     * @param subsetSize vectors drawn from each set per subset, after clamping to the sets' sizes
     */
    public record Estimate(double mean, double std, int subsets, int subsetSize) {}

    /** k(x, y) = (xᵀy / d + 1)³. */
    static double kernel(double[] x, double[] y) {
        double t = dot(x, y) / x.length + 1;
        return t * t * t;
    }

    /** The unbiased MMD² estimate between all of {@code a} and all of {@code b} (rows are vectors, at least 2 each). */
    public static double mmd2Unbiased(float[][] a, float[][] b) {
        int dim = checkDimension(a, b);
        checkRows("a", a.length);
        checkRows("b", b.length);
        return sums(widen(a, dim), widen(b, dim)).mmd2();
    }

    /** {@link #estimate(float[][], float[][], int, int, long)} with 100 subsets of 1000. */
    public static Estimate estimate(float[][] a, float[][] b, long seed) {
        return estimate(a, b, SUBSETS_DEFAULT, SUBSET_SIZE_DEFAULT, seed);
    }

    /**
     * KID as reported: the unbiased MMD² of {@code subsets} pairs of random subsets, {@code subsetSize} vectors from
     * each set without replacement (fresh draws for every subset). The same seed gives the same subsets and so the
     * same result.
     *
     * @param a vectors of one set (rows, all of one dimension), at least 2
     * @param b vectors of the other set, at least 2, of the same dimension
     * @param subsets how many subsets to average over, at least 1; default {@value #SUBSETS_DEFAULT}
     * @param subsetSize vectors per set per subset, at least 2; clamped to the smaller set's size; default
     *     {@value #SUBSET_SIZE_DEFAULT}
     * @param seed picks the subsets
     * @throws IllegalArgumentException if a set has fewer than 2 rows, the dimensions differ or a count is out of range
     */
    public static Estimate estimate(float[][] a, float[][] b, int subsets, int subsetSize, long seed) {
        return estimate(a, b, subsets, subsetSize, seed, CACHED_KERNEL_VALUES_MAX);
    }

    /** {@link #estimate(float[][], float[][], int, int, long)} keeping at most {@code cacheMax} kernel values. */
    static Estimate estimate(float[][] a, float[][] b, int subsets, int subsetSize, long seed, long cacheMax) {
        int dim = checkDimension(a, b);
        checkRows("a", a.length);
        checkRows("b", b.length);
        if (subsets < 1) throw new IllegalArgumentException("subsets must be >= 1, found " + subsets);
        if (subsetSize < 2) throw new IllegalArgumentException("subsetSize must be >= 2, found " + subsetSize);
        int size = Math.min(subsetSize, Math.min(a.length, b.length));
        double[][] x = widen(a, dim), y = widen(b, dim);

        // the subsets, drawn one after another so that the seed alone fixes them
        SplittableRandom random = new SplittableRandom(seed);
        int[] permA = IntStream.range(0, x.length).toArray(), permB = IntStream.range(0, y.length).toArray();
        int[][] subsetsA = new int[subsets][], subsetsB = new int[subsets][];
        for (int s = 0; s < subsets; s++) {
            subsetsA[s] = draw(random, permA, size);
            subsetsB[s] = draw(random, permB, size);
        }

        // each subset's sums: from kernel matrices of the whole sets when they fit and cost less than the subsets' own
        long whole = (long) x.length * x.length + (long) y.length * y.length + (long) x.length * y.length;
        long perSubset = 3L * size * size * subsets;
        double[] mmd2 = new double[subsets];
        if (whole <= cacheMax && whole < perSubset) {
            float[] kxx = kernelMatrix(x, x), kyy = kernelMatrix(y, y), kxy = kernelMatrix(x, y);
            IntStream.range(0, subsets).parallel().forEach(s -> mmd2[s] = new Sums(
                    sum(kxx, x.length, subsetsA[s], subsetsA[s]), sum(kyy, y.length, subsetsB[s], subsetsB[s]),
                    sum(kxy, y.length, subsetsA[s], subsetsB[s]), size, size).mmd2());
        } else {
            for (int s = 0; s < subsets; s++) mmd2[s] = sums(rows(x, subsetsA[s]), rows(y, subsetsB[s])).mmd2();
        }

        double mean = 0;
        for (double v : mmd2) mean += v / subsets;
        double variance = 0;
        for (double v : mmd2) variance += (v - mean) * (v - mean) / subsets;
        return new Estimate(mean, Math.sqrt(variance), subsets, size);
    }

    /** Σ_{i≠j} k(aᵢ, aⱼ), Σ_{i≠j} k(bᵢ, bⱼ), Σ k(aᵢ, bⱼ) and the set sizes. */
    private record Sums(double aa, double bb, double ab, int m, int n) {
        double mmd2() {
            return aa / ((double) m * (m - 1)) + bb / ((double) n * (n - 1)) - 2 * ab / ((double) m * n);
        }
    }

    /** The three kernel sums without storing kernel values; rows in parallel, added in row order. */
    private static Sums sums(double[][] a, double[][] b) {
        double[] aa = new double[a.length], bb = new double[b.length], ab = new double[a.length];
        IntStream.range(0, a.length).parallel().forEach(i -> {
            for (int j = i + 1; j < a.length; j++) aa[i] += kernel(a[i], a[j]);
            for (double[] row : b) ab[i] += kernel(a[i], row);
        });
        IntStream.range(0, b.length).parallel().forEach(i -> {
            for (int j = i + 1; j < b.length; j++) bb[i] += kernel(b[i], b[j]);
        });
        return new Sums(2 * total(aa), 2 * total(bb), total(ab), a.length, b.length);
    }

    /**
     * k(xᵢ, yⱼ) at [i * y.length + j], rounded to float (relative error at most 2⁻²⁴, which moves an MMD² by at most
     * 2⁻²⁴ times the mean |k| of its three terms). When x and y are the same set the diagonal is left 0, so that a
     * subset's sum over all its pairs is its sum over i ≠ j.
     */
    private static float[] kernelMatrix(double[][] x, double[][] y) {
        boolean same = x == y;
        float[] k = new float[x.length * y.length];
        IntStream.range(0, x.length).parallel().forEach(i -> {
            for (int j = same ? i + 1 : 0; j < y.length; j++) {
                float v = (float) kernel(x[i], y[j]);
                k[i * y.length + j] = v;
                if (same) k[j * y.length + i] = v;
            }
        });
        return k;
    }

    /** Σ k[i * width + j] over i in rows, j in columns (both sorted ascending, so each row is read forwards). */
    private static double sum(float[] k, int width, int[] rows, int[] columns) {
        double total = 0;
        for (int i : rows) {
            int offset = i * width;
            double row = 0;
            for (int j : columns) row += k[offset + j];
            total += row;
        }
        return total;
    }

    /** A uniformly random {@code size}-subset of {@code perm}'s values (partial Fisher-Yates), sorted. */
    private static int[] draw(SplittableRandom random, int[] perm, int size) {
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(perm.length - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] subset = Arrays.copyOf(perm, size);
        Arrays.sort(subset);
        return subset;
    }

    private static double[][] rows(double[][] all, int[] indices) {
        double[][] out = new double[indices.length][];
        for (int i = 0; i < indices.length; i++) out[i] = all[indices[i]];
        return out;
    }

    /** xᵀy with four accumulators (a fixed order, so the same inputs give the same bits). */
    private static double dot(double[] x, double[] y) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < x.length; k += 4) {
            s0 += x[k] * y[k];
            s1 += x[k + 1] * y[k + 1];
            s2 += x[k + 2] * y[k + 2];
            s3 += x[k + 3] * y[k + 3];
        }
        for (; k < x.length; k++) s0 += x[k] * y[k];
        return (s0 + s1) + (s2 + s3);
    }

    private static double total(double[] parts) {
        double t = 0;
        for (double p : parts) t += p;
        return t;
    }

    private static double[][] widen(float[][] rows, int dim) {
        double[][] out = new double[rows.length][dim];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < dim; j++) out[i][j] = rows[i][j];
        }
        return out;
    }

    private static int checkDimension(float[][] a, float[][] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("both sets need feature vectors, found " + a.length + " and " + b.length);
        }
        int dim = a[0].length;
        if (dim == 0) throw new IllegalArgumentException("feature vectors must have dimension >= 1, found 0");
        if (b[0].length != dim) {
            throw new IllegalArgumentException("both sets must have one dimension, found " + dim + " and " + b[0].length);
        }
        for (int i = 0; i < a.length; i++) checkRow(a[i], dim, i, "a");
        for (int i = 0; i < b.length; i++) checkRow(b[i], dim, i, "b");
        return dim;
    }

    private static void checkRow(float[] row, int dim, int i, String set) {
        if (row.length != dim) {
            throw new IllegalArgumentException("every feature vector must have dimension " + dim + ", row " + i + " of "
                    + set + " has " + row.length);
        }
    }

    private static void checkRows(String name, int rows) {
        if (rows < 2) throw new IllegalArgumentException("the unbiased MMD² needs at least 2 vectors in " + name + ", found " + rows);
    }
}
