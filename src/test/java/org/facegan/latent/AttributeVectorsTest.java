package org.facegan.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttributeVectorsTest {
    /**
     * Embeddings built as noise plus a known offset per attribute: the vectors must equal the difference of
     * the two groups' means, computed here directly from the groups.
     */
    @Test
    void vectorsAreTheDifferenceOfMeansOfConstructedEmbeddings() {
        int n = 200, zDim = 5;
        List<String> names = List.of("Smiling", "Male", "Bald");
        SplittableRandom random = new SplittableRandom(11);
        float[] z = new float[n * zDim], y = new float[n * 3];
        float[][] offsets = {{3, 0, 0, 0, 0}, {0, -2, 1, 0, 0}, {0, 0, 0, 0, 9}};
        for (int i = 0; i < n; i++) {
            y[i * 3] = random.nextBoolean() ? 1 : 0;
            y[i * 3 + 1] = random.nextInt(4) == 0 ? 1 : 0;
            y[i * 3 + 2] = 0;  // nobody is bald: no direction
            for (int j = 0; j < zDim; j++) {
                float v = (float) random.nextGaussian();
                for (int k = 0; k < 3; k++) v += y[i * 3 + k] * offsets[k][j];
                z[i * zDim + j] = v;
            }
        }
        AttributeVectors vectors = AttributeVectors.compute(names, z, y, n, zDim);
        for (int k = 0; k < 2; k++) {
            double[] with = new double[zDim], without = new double[zDim];
            int nWith = 0, nWithout = 0;
            for (int i = 0; i < n; i++) {
                boolean has = y[i * 3 + k] == 1;
                if (has) nWith++;
                else nWithout++;
                for (int j = 0; j < zDim; j++) (has ? with : without)[j] += z[i * zDim + j];
            }
            assertThat(vectors.with()[k]).isEqualTo(nWith);
            assertThat(vectors.without()[k]).isEqualTo(nWithout);
            for (int j = 0; j < zDim; j++) {
                assertThat(vectors.vector(k)[j]).isCloseTo((float) (with[j] / nWith - without[j] / nWithout), within(1e-4f));
            }
            // and, with 200 samples, close to the planted offset (noise and the other attribute average out)
            for (int j = 0; j < zDim; j++) assertThat(vectors.vector(k)[j]).isCloseTo(offsets[k][j], within(0.6f));
        }
        assertThat(vectors.defined(2)).isFalse();
        assertThat(vectors.vector(2)).containsOnly(0f);
    }

    @Test
    void exactOnATinyHandMadeCase() {
        // two images with the attribute at z = (1, 2) and (3, 4), one without at (0, 10)
        float[] z = {1, 2, 3, 4, 0, 10}, y = {1, 1, 0};
        AttributeVectors v = AttributeVectors.compute(List.of("A"), z, y, 3, 2);
        assertThat(v.vector(0)).containsExactly(2f, -7f);
        // score: inner product with the normalised vector
        assertThat(v.scores(new float[] {2, -7})[0]).isCloseTo((float) Math.sqrt(53), within(1e-5f));
        assertThat(v.scores(new float[] {7, 2})[0]).isCloseTo(0f, within(1e-6f));
    }

    @Test
    void roundTripsThroughTheTsv(@TempDir Path tmp) throws Exception {
        float[] z = {1, 2, 3, 4, 0, 10}, y = {1, 0, 1, 1, 0, 0};
        AttributeVectors v = AttributeVectors.compute(List.of("A", "B"), z, y, 3, 2);
        Path file = tmp.resolve(AttributeVectors.FILE_NAME);
        v.write(file);
        assertThat(Files.readAllLines(file).get(0)).isEqualTo("attribute\twith\twithout\tz0\tz1");
        AttributeVectors back = AttributeVectors.read(file);
        assertThat(back.names()).containsExactly("A", "B");
        assertThat(back.vectors()).containsExactly(v.vectors(), within(1e-6f));
        assertThat(back.with()).containsExactly(v.with());
        assertThatThrownBy(() -> AttributeVectors.read(tmp.resolve("missing.tsv")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("facegan attributes");
    }
}
