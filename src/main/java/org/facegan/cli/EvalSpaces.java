package org.facegan.cli;

import java.nio.file.Path;
import java.util.List;
import org.facegan.data.FaceDataset;
import org.facegan.eval.AttributeClassifier;
import org.facegan.eval.EvalSpace;
import org.facegan.eval.FeatureSpace;
import org.facegan.eval.NuisanceRegressor;
import org.facegan.eval.PatchSpace;

/**
 * The three spaces {@code eval} and {@code train --eval-every} measure in: the attribute classifier's features, the
 * features of a network trained for something else (the built-in faces' pose, lighting and colours; an
 * autoencoder's code for photos), and Laplacian-pyramid patches. The networks are trained once per run and kept
 * under {@code RUN/eval/}.
 */
final class EvalSpaces implements AutoCloseable {
    /** Where a run keeps its second feature network. */
    static final String NUISANCE_DIR = "eval/nuisance";

    final NuisanceRegressor nuisance;
    final List<EvalSpace> spaces;

    /**
     * @param runDir where the networks are kept; null: trained for this use only (an exported bundle)
     * @param nuisanceSteps training steps of the second network when the run has none yet
     */
    EvalSpaces(FaceDataset faces, AttributeClassifier classifier, Path runDir, int nuisanceSteps, long seed) {
        this.nuisance = nuisance(faces, runDir == null ? null : runDir.resolve(NUISANCE_DIR), nuisanceSteps, seed);
        this.spaces = List.of(FeatureSpace.of(classifier, seed), FeatureSpace.of(nuisance, seed),
                new PatchSpace(faces.imageSize(), seed));
    }

    /** The run's nuisance network, trained (with a progress bar) when there is none for these faces yet. */
    private static NuisanceRegressor nuisance(FaceDataset faces, Path dir, int steps, long seed) {
        if (dir != null && NuisanceRegressor.exists(dir)) return NuisanceRegressor.forFaces(faces, dir, steps, seed, i -> {});
        try (var bar = Progress.bar("steps", "nuisance network", steps, 0)) {
            return NuisanceRegressor.forFaces(faces, dir, steps, seed, bar::stepTo);
        }
    }

    @Override
    public void close() {
        nuisance.close();
    }
}
