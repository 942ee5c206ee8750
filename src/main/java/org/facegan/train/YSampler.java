package org.facegan.train;

import java.util.Locale;
import java.util.SplittableRandom;
import org.facegan.data.FaceDataset;

/**
 * Where the y's of generated faces come from during training (seed 002, the slides "Conditional Generative
 * Adversarial Nets"):
 * {@code empirical} takes the attribute vector of a random training image; {@code kde[:BANDWIDTH]} adds Gaussian
 * noise of that standard deviation to it (a Parzen-window / kernel density estimate of p(y)), and {@code kde:auto}
 * chooses the bandwidth that gives held-out training y's the highest log-likelihood.
 */
public final class YSampler {
    public static final String EMPIRICAL = "empirical";
    /** Bandwidths {@code kde:auto} chooses from. */
    static final double[] BANDWIDTHS = {0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0};

    private final FaceDataset data;
    private final double bandwidth;

    private YSampler(FaceDataset data, double bandwidth) {
        this.data = data;
        this.bandwidth = bandwidth;
    }

    /** Checks a {@code --y-sampler} value without data. */
    public static void validate(String spec) {
        parseBandwidth(spec);
    }

    /**
     * @param spec empirical, kde:BANDWIDTH or kde:auto
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static YSampler of(String spec, FaceDataset data, long seed) {
        Double bandwidth = parseBandwidth(spec);
        return new YSampler(data, bandwidth == null ? 0 : Double.isNaN(bandwidth) ? chooseBandwidth(data, seed) : bandwidth);
    }

    /** null for empirical, NaN for auto. */
    private static Double parseBandwidth(String spec) {
        String s = spec.toLowerCase(Locale.ROOT);
        if (s.equals(EMPIRICAL)) return null;
        if (s.equals("kde") || s.equals("kde:auto")) return Double.NaN;
        if (s.startsWith("kde:")) {
            try {
                double b = Double.parseDouble(s.substring(4));
                if (b > 0 && b <= 10) return b;
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException("--y-sampler " + spec + ": expected empirical, kde:BANDWIDTH (0 < b <= 10) or kde:auto");
    }

    public double bandwidth() {
        return bandwidth;
    }

    /** Fills {@code out} with consecutive y vectors. */
    public void fill(SplittableRandom random, float[] out) {
        int yDim = data.attributeNames().size();
        for (int i = 0; i < out.length / yDim; i++) {
            System.arraycopy(data.attributes(random.nextInt(data.size())), 0, out, i * yDim, yDim);
            if (bandwidth > 0) {
                for (int a = 0; a < yDim; a++) out[i * yDim + a] += (float) (bandwidth * random.nextGaussian());
            }
        }
    }

    /**
     * The bandwidth under which a held-out tenth of the training y's (at most 1000) has the highest mean
     * log-likelihood in the Gaussian KDE of (at most 5000 of) the others.
     */
    static double chooseBandwidth(FaceDataset data, long seed) {
        int n = data.size(), yDim = data.attributeNames().size();
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, 0x4BDEL, 0));
        int held = Math.max(1, Math.min(1000, n / 10));
        int kept = Math.min(5000, n - held);
        if (kept < 1) return BANDWIDTHS[BANDWIDTHS.length / 2];
        float[][] heldOut = new float[held][], centres = new float[kept][];
        for (int i = 0; i < held; i++) heldOut[i] = data.attributes(random.nextInt(n));
        for (int i = 0; i < kept; i++) centres[i] = data.attributes(random.nextInt(n));
        double best = BANDWIDTHS[0], bestLikelihood = Double.NEGATIVE_INFINITY;
        for (double h : BANDWIDTHS) {
            double total = 0;
            for (float[] y : heldOut) total += logDensity(y, centres, h);
            if (total / held > bestLikelihood) {
                bestLikelihood = total / held;
                best = h;
            }
        }
        return best;
    }

    /** log of the mean of N(y; c, h^2 I) over the centres c, computed stably (log-sum-exp). */
    static double logDensity(float[] y, float[][] centres, double h) {
        double max = Double.NEGATIVE_INFINITY;
        double[] exponents = new double[centres.length];
        for (int i = 0; i < centres.length; i++) {
            double d2 = 0;
            for (int a = 0; a < y.length; a++) d2 += (y[a] - centres[i][a]) * (y[a] - centres[i][a]);
            exponents[i] = -d2 / (2 * h * h);
            max = Math.max(max, exponents[i]);
        }
        double sum = 0;
        for (double e : exponents) sum += Math.exp(e - max);
        return max + Math.log(sum / centres.length) - y.length * Math.log(h * Math.sqrt(2 * Math.PI));
    }
}
