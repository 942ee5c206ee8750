package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.facegan.data.FaceDataset;
import org.facegan.data.SyntheticDataset;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;

class YSamplerTest {
    static final FaceDataset FACES = new SyntheticDataset(0, 32, 400);

    @Test
    void empiricalDrawsAreTrainingVectors() {
        Set<List<Float>> training = new HashSet<>();
        for (int i = 0; i < FACES.size(); i++) training.add(boxed(FACES.attributes(i)));
        float[] out = new float[50 * 10];
        YSampler.of("empirical", FACES, 1).fill(new SplittableRandom(3), out);
        for (int i = 0; i < 50; i++) {
            float[] y = new float[10];
            System.arraycopy(out, i * 10, y, 0, 10);
            assertThat(training).contains(boxed(y));
        }
    }

    @Test
    void kdeAddsGaussianNoiseOfTheBandwidth() {
        FaceDataset constant = withAttributes(i -> new float[] {1f, 0f});
        float[] out = new float[20000 * 2];
        YSampler.of("kde:0.3", constant, 1).fill(new SplittableRandom(3), out);
        for (int a = 0; a < 2; a++) {
            double mean = 0, square = 0;
            for (int i = a; i < out.length; i += 2) mean += out[i] / 20000.0;
            for (int i = a; i < out.length; i += 2) square += (out[i] - mean) * (out[i] - mean) / 20000.0;
            assertThat(mean).isCloseTo(a == 0 ? 1 : 0, within(0.01));
            assertThat(Math.sqrt(square)).isCloseTo(0.3, within(0.01));
        }
    }

    @Test
    void autoBandwidthIsNarrowerForRepeatedBinaryYThanForSpreadOutY() {
        double binary = YSampler.of("kde:auto", FACES, 1).bandwidth();
        double continuous = YSampler.of("kde:auto", withAttributes(i -> {
            SplittableRandom r = new SplittableRandom(i);
            return new float[] {(float) r.nextGaussian(), (float) r.nextGaussian()};
        }), 1).bandwidth();
        assertThat(binary).isLessThan(continuous);
        assertThat(continuous).isBetween(0.2, 1.0);  // N(0, I) y's: Silverman's rule gives about 0.35 here
    }

    @Test
    void badSpecNamesTheForms() {
        assertThatThrownBy(() -> YSampler.validate("kde:-1")).hasMessageContaining("kde:BANDWIDTH");
        assertThatThrownBy(() -> YSampler.validate("uniform")).hasMessageContaining("--y-sampler uniform");
    }

    private static FaceDataset withAttributes(java.util.function.IntFunction<float[]> y) {
        FaceDataset images = Fixtures.noiseFaces(300, 32, 2);
        return new FaceDataset() {
            public int size() { return images.size(); }
            public int imageSize() { return images.imageSize(); }
            public List<String> attributeNames() { return images.attributeNames(); }
            public void image(int i, float[] dst, int offset) { images.image(i, dst, offset); }
            public float[] attributes(int i) { return y.apply(i); }
        };
    }

    private static List<Float> boxed(float[] y) {
        Float[] out = new Float[y.length];
        for (int i = 0; i < y.length; i++) out[i] = y[i];
        return List.of(out);
    }
}
