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
import org.facegan.testing.Tolerance;
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
        int n = 20000;
        double bandwidth = 0.3;
        float[] out = new float[n * 2];
        YSampler.of("kde:" + bandwidth, constant, 1).fill(new SplittableRandom(3), out);
        for (int a = 0; a < 2; a++) {
            double mean = 0, square = 0;
            for (int i = a; i < out.length; i += 2) mean += out[i] / (double) n;
            for (int i = a; i < out.length; i += 2) square += (out[i] - mean) * (out[i] - mean) / n;
            // n normal draws of standard deviation `bandwidth` about the constant y: sampling error only
            assertThat(mean).isCloseTo(a == 0 ? 1 : 0, within(Tolerance.sampleMean(bandwidth, n)));
            assertThat(Math.sqrt(square)).isCloseTo(bandwidth, within(Tolerance.sampleStandardDeviation(bandwidth, n)));
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
        // a claim, not a rounding: spread-out y's get a wider kernel, of the order of Silverman's rule for N(0, I),
        // σ·(4/((d + 2)n))^(1/(d + 4)) = 0.39 (σ = 1, d = 2, n = 300). Measured 0.2, well ahead of 0.1 and 0.3 in
        // likelihood, and the same on any processor (Java's arithmetic and this seed's draws are fixed). Other seeds
        // choose 0.1 to 0.5: chooseBandwidth judges only 30 held-out y's, drawn from the same 300 as its centres
        assertThat(continuous).isBetween(0.2, 1.0);
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
