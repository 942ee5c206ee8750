package org.facegan.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.IntStream;
import org.facegan.data.DataSpec;
import org.facegan.data.FaceDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation's classifier learns the built-in faces' attributes: at least 95% held out, every attribute. */
class AttributeClassifierTest {
    static final int STEPS = AttributeClassifier.DEFAULT_STEPS;

    @Test
    void reaches95PercentHeldOutOnEveryAttributeOfTheBuiltInFacesAndSurvivesSaveAndLoad(@TempDir Path tmp) {
        FaceDataset data = DataSpec.parse("synthetic").open(32, i -> {});
        EvalSplit split = EvalSplit.of(data.size());
        long t0 = System.nanoTime();
        try (AttributeClassifier c = AttributeClassifier.train(data, split.train(), split.heldOut(), STEPS, 1, i -> {})) {
            double[] accuracy = c.info().heldOutAccuracy();
            System.out.printf("classifier: %d steps in %.1f s, held-out accuracy %s%n", STEPS,
                    (System.nanoTime() - t0) / 1e9, java.util.Arrays.toString(accuracy));
            // a claim about training, not a rounding. Measured lowest 0.9885 (Young), and 0.988 and 0.978 with seeds 2
            // and 3 (another processor's kernels change the trajectory as a seed does); 2000 held-out faces give an
            // accuracy near 0.98 a standard error of 0.003, so 0.95 is far below both spreads
            for (int k = 0; k < accuracy.length; k++) {
                assertThat(accuracy[k]).as(data.attributeNames().get(k)).isGreaterThanOrEqualTo(0.95);
            }
            c.save(tmp.resolve("classifier"));
            float[] x = new float[16 * 32 * 32 * 3];
            for (int j = 0; j < 16; j++) data.image(split.heldOut()[j], x, j * 32 * 32 * 3);
            // exact: the same graph, built the same way, with the same weights and thread count, in the same process,
            // runs the same kernels on the same sums
            try (AttributeClassifier loaded = AttributeClassifier.load(tmp.resolve("classifier"))) {
                assertThat(loaded.logits(x, 16)).containsExactly(c.logits(x, 16));
                assertThat(loaded.features(x, 16)).containsExactly(c.features(x, 16));
                assertThat(loaded.info().heldOutAccuracy()).containsExactly(accuracy);
            }
        }
        assertThat(IntStream.of(split.heldOut()).filter(i -> IntStream.of(split.train()).anyMatch(j -> j == i))).isEmpty();
    }
}
