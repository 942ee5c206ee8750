package org.facegan.train;

/**
 * A quick measurement of the generator every {@code --eval-every} steps (the CLI plugs in the eval package's): the
 * trainer logs its scores and keeps {@code checkpoints/best}, the checkpoint with the lowest {@link #bestBy} distance.
 */
public interface PeriodicEval {
    /** G as it stands, in inference mode. */
    interface Generator {
        int zDim();

        /** G(z, y), [n, S, S, 3] in [-1, 1]. */
        float[] generate(float[] z, float[] y, int n);
    }

    /**
     * What a quick evaluation reports: mean conditional accuracy over attributes, the Fréchet distance in the
     * classifier's features, and every distance by name ({@code frechet_classifier}, {@code kid_nuisance},
     * {@code swd_patches}, ...; absent from checkpoints/best of runs made before they existed).
     */
    record Score(double conditionalAccuracy, double frechet, java.util.Map<String, Double> distances) {
        public Score {
            distances = java.util.Collections.unmodifiableMap(distances == null
                    ? new java.util.LinkedHashMap<>(java.util.Map.of(FRECHET_CLASSIFIER, frechet))
                    : new java.util.LinkedHashMap<>(distances));
        }

        /** The distance {@code metric}; the classifier's Fréchet distance for scores without it. */
        public double distance(String metric) {
            return distances.getOrDefault(metric, frechet);
        }
    }

    /** The classifier's Fréchet distance: what picked checkpoints/best before other distances existed. */
    String FRECHET_CLASSIFIER = "frechet_classifier";

    Score evaluate(long step, Generator generator);

    /** The distance (a key of {@link Score#distances}) whose lowest value picks checkpoints/best. */
    default String bestBy() {
        return FRECHET_CLASSIFIER;
    }
}
