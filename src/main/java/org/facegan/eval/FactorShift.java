package org.facegan.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one nuisance factor (pose, lighting, a colour) of the generated faces, as the nuisance network reads it,
 * differs from that of held-out real faces. The nuisance space's Fréchet distance says how far the faces are; this
 * says in what: a shifted mean (G draws faces too bright), a narrow spread (G draws too few poses), or a different
 * shape. Every figure is in units of the real faces' standard deviation, so factors compare with each other.
 *
 * @param realMean the mean over held-out real faces
 * @param realSd their standard deviation
 * @param modelMean the mean over generated faces
 * @param modelSd their standard deviation
 * @param wasserstein the 1-D Wasserstein distance between the two sets of readings ÷ {@code realSd}
 * @param floor the same distance between two disjoint sets of real faces: what sampling alone gives
 */
public record FactorShift(String factor, double realMean, double realSd, double modelMean, double modelSd,
                          double wasserstein, double floor) {
    /** (model mean − real mean) ÷ real sd. */
    public double shift() {
        return (modelMean - realMean) / realSd;
    }

    /** model sd ÷ real sd: below 1, G varies this factor less than the data does. */
    public double spread() {
        return modelSd / realSd;
    }

    /**
     * One shift per factor, from readings [n, F] (row-major) of equally many faces in each set.
     *
     * @param heldOut readings of held-out real faces
     * @param model readings of generated faces
     * @param otherReal readings of real faces disjoint from {@code heldOut}
     */
    public static List<FactorShift> between(List<String> factors, float[] heldOut, float[] model, float[] otherReal, int n) {
        int f = factors.size();
        for (float[] readings : List.of(heldOut, model, otherReal)) {
            if (readings.length != n * f) {
                throw new IllegalArgumentException("expected " + n + " × " + f + " readings, found " + readings.length);
            }
        }
        List<FactorShift> out = new ArrayList<>(f);
        for (int k = 0; k < f; k++) {
            double[] real = column(heldOut, k, f, n), generated = column(model, k, f, n), other = column(otherReal, k, f, n);
            double sd = sd(real);
            out.add(new FactorShift(factors.get(k), mean(real), sd, mean(generated), sd(generated),
                    wasserstein(real, generated) / sd, wasserstein(real, other) / sd));
        }
        return out;
    }

    /** W₁ between two equally large samples: the mean distance between their sorted values. */
    static double wasserstein(double[] a, double[] b) {
        double[] x = a.clone(), y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        double sum = 0;
        for (int i = 0; i < x.length; i++) sum += Math.abs(x[i] - y[i]);
        return sum / x.length;
    }

    private static double[] column(float[] rows, int k, int width, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = rows[i * width + k];
        return out;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double sd(double[] v) {
        double m = mean(v), sum = 0;
        for (double x : v) sum += (x - m) * (x - m);
        return Math.sqrt(sum / (v.length - 1));
    }
}
