package org.facegan.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every attribute must be visible in the pixels: a logistic regression on raw 32 px pixels (no features, no
 * translation invariance, so a weak learner) reaches at least 85% held-out accuracy on each one.
 */
class AttributeVisibilityTest {
    private static final int TRAIN = 2000, TEST = 500, EPOCHS = 6, SIZE = 32;

    @Test
    void linearClassifierOnRawPixelsFindsEveryAttribute() {
        SyntheticDataset data = new SyntheticDataset(3, SIZE, TRAIN + TEST);
        int dim = SIZE * SIZE * 3, attributes = data.attributeNames().size();
        float[][] x = new float[data.size()][dim];
        float[][] y = new float[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            data.image(i, x[i], 0);
            y[i] = data.attributes(i);
        }
        float[][] w = new float[attributes][dim];
        float[] b = new float[attributes];
        train(x, y, w, b);

        StringBuilder report = new StringBuilder();
        for (int a = 0; a < attributes; a++) {
            int correct = 0;
            for (int i = TRAIN; i < TRAIN + TEST; i++) {
                boolean predicted = dot(w[a], x[i]) + b[a] > 0;
                if (predicted == (y[i][a] == 1f)) correct++;
            }
            double accuracy = correct / (double) TEST;
            report.append(String.format("%s %.3f%n", data.attributeNames().get(a), accuracy));
            // a claim about the faces, not a rounding. The lowest measured is Smiling's 0.918; 500 held-out faces
            // give an accuracy near 0.9 a standard error of 0.013, so 0.85 is 5 of them below. Plain Java with fixed
            // seeds: the same on every processor
            assertThat(accuracy).as("held-out accuracy for %s%n%s", data.attributeNames().get(a), report)
                    .isGreaterThanOrEqualTo(0.85);
        }
    }

    /** Plain SGD on the logistic loss, all attributes at once, shuffled each epoch, decaying step. */
    private static void train(float[][] x, float[][] y, float[][] w, float[] b) {
        SplittableRandom random = new SplittableRandom(1);
        int[] order = java.util.stream.IntStream.range(0, TRAIN).toArray();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int i = TRAIN - 1; i > 0; i--) {
                int j = random.nextInt(i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            float lr = 0.01f / (1 + epoch);
            for (int i : order) {
                for (int a = 0; a < w.length; a++) {
                    float p = (float) (1 / (1 + Math.exp(-(dot(w[a], x[i]) + b[a]))));
                    float step = lr * (p - y[i][a]);
                    b[a] -= step;
                    float[] wa = w[a], xi = x[i];
                    for (int k = 0; k < wa.length; k++) wa[k] -= step * xi[k];
                }
            }
        }
    }

    private static float dot(float[] w, float[] x) {
        float s = 0;
        for (int k = 0; k < w.length; k++) s += w[k] * x[k];
        return s;
    }
}
