package org.facegan.eval;

import java.util.List;
import java.util.function.BiFunction;

/**
 * A network's features as an {@link EvalSpace}: the Fréchet distance (Heusel et al. 2017) between Gaussians fitted
 * to the two sets' features, and the kernel distance KID (Bińkowski et al. 2018), whose unbiased estimate compares
 * small sets fairly.
 */
public final class FeatureSpace implements EvalSpace {
    public static final String FRECHET = "frechet", KID = "kid";

    private final String name;
    private final BiFunction<float[], Integer, float[]> features;
    private final long seed;

    /**
     * @param features the network's features of n faces, [n, F] flattened
     * @param seed picks KID's subsets
     */
    public FeatureSpace(String name, BiFunction<float[], Integer, float[]> features, long seed) {
        this.name = name;
        this.features = features;
        this.seed = seed;
    }

    public static FeatureSpace of(AttributeClassifier classifier, long seed) {
        return new FeatureSpace("classifier", classifier::features, seed);
    }

    public static FeatureSpace of(NuisanceRegressor network, long seed) {
        return new FeatureSpace("nuisance", network::features, seed);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> metrics() {
        return List.of(FRECHET, KID);
    }

    @Override
    public Described describe(float[] images, int count) {
        return new Features(rows(features.apply(images, count), count));
    }

    /** A set's feature rows. */
    private final class Features implements Described {
        private final float[][] rows;

        Features(float[][] rows) {
            this.rows = rows;
        }

        @Override
        public double[] distancesTo(Described other) {
            float[][] theirs = ((Features) other).rows;
            return new double[] {FrechetDistance.between(rows, theirs), KernelDistance.estimate(rows, theirs, seed).mean()};
        }
    }

    static float[][] rows(float[] flat, int count) {
        int width = flat.length / count;
        float[][] out = new float[count][width];
        for (int j = 0; j < count; j++) System.arraycopy(flat, j * width, out[j], 0, width);
        return out;
    }
}
