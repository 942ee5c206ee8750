package org.facegan.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.facegan.testing.Tolerance;
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
        double[] share = {0.5, 0.25, 0};   // how often each attribute is drawn below
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
            double[] with = new double[zDim], without = new double[zDim], magnitude = new double[zDim];
            int nWith = 0, nWithout = 0;
            for (int i = 0; i < n; i++) {
                boolean has = y[i * 3 + k] == 1;
                if (has) nWith++;
                else nWithout++;
                for (int j = 0; j < zDim; j++) (has ? with : without)[j] += z[i * zDim + j];
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < zDim; j++) magnitude[j] += Math.abs(z[i * zDim + j]) / (y[i * 3 + k] == 1 ? nWith : nWithout);
            }
            assertThat(vectors.with()[k]).isEqualTo(nWith);
            assertThat(vectors.without()[k]).isEqualTo(nWithout);
            for (int j = 0; j < zDim; j++) {
                // both sides sum the same floats in double (any order: reorderedSum64 of the terms' size) and round
                // the difference of means once to float32: at most one float32 ulp, 2u of the value, apart
                float expected = (float) (with[j] / nWith - without[j] / nWithout);
                double rounding = 2 * Tolerance.FLOAT32 * Math.abs(expected) + Tolerance.reorderedSum64(n, magnitude[j]);
                assertThat(vectors.vector(k)[j]).isCloseTo(expected, within((float) rounding));
            }
            // and close to the planted offset, up to the two groups' sampling error: within a group, z_j is N(0, 1)
            // plus the other attributes' offsets, each present with its share p independently of attribute k, so
            // it varies by 1 + Σ offset²·p(1 − p) about the group's mean, and a difference of the two groups' means
            // by that times 1/nWith + 1/nWithout
            for (int j = 0; j < zDim; j++) {
                double variance = 1;
                for (int m = 0; m < 3; m++) if (m != k) variance += offsets[m][j] * offsets[m][j] * share[m] * (1 - share[m]);
                double sampling = Tolerance.SIGMAS * Math.sqrt(variance * (1.0 / nWith + 1.0 / nWithout));
                assertThat(vectors.vector(k)[j]).isCloseTo(offsets[k][j], within((float) sampling));
            }
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
        // score: inner product with the normalised vector, in double (53 = 2·2 + 7·7 exactly, √53 to 2^-53) and
        // rounded once to float32, as (float) √53 is: at most one float32 ulp, 2u·√53, apart
        assertThat(v.scores(new float[] {2, -7})[0]).isCloseTo((float) Math.sqrt(53),
                within((float) (2 * Tolerance.FLOAT32 * Math.sqrt(53))));
        // 7·2 − 2·7 cancels exactly in double; a float32 evaluation would leave reorderedSum(2, 14 + 14) / √53
        assertThat(v.scores(new float[] {7, 2})[0]).isCloseTo(0f,
                within((float) (Tolerance.reorderedSum(2, 14 + 14) / Math.sqrt(53))));
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
        // %.7g keeps 7 significant digits, within half a unit in the 7th (at most 5·10⁻⁷ of the value), and parsing
        // rounds to float32 again (u of it)
        double largest = 0;
        for (float x : v.vectors()) largest = Math.max(largest, Math.abs(x));
        assertThat(back.vectors()).containsExactly(v.vectors(), within((float) ((0.5e-6 + Tolerance.FLOAT32) * largest)));
        assertThat(back.with()).containsExactly(v.with());
        assertThatThrownBy(() -> AttributeVectors.read(tmp.resolve("missing.tsv")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("facegan attributes");
    }
}
