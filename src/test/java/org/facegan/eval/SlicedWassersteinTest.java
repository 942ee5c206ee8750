package org.facegan.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.facegan.data.SyntheticDataset;
import org.facegan.eval.SlicedWasserstein.Descriptors;
import org.facegan.eval.SlicedWasserstein.Normalisation;
import org.facegan.eval.SlicedWasserstein.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SlicedWassersteinTest {
    /** Unit roundoff of double and of float. */
    private static final double U = 0x1p-53, U_FLOAT = 0x1p-24;
    private static final int SIZE = 32, COUNT = 100, PIXELS = SIZE * SIZE * 3;
    /** Fewer patches and directions than ProGAN's 128 and 512, to keep the tests fast. */
    private static final int PATCHES = 64, DIRECTIONS = 128;

    /** Two disjoint sets of built-in faces: one distribution. */
    private static float[] first, second;

    @BeforeAll
    static void faces() {
        SyntheticDataset data = new SyntheticDataset(3, SIZE, 2 * COUNT);
        first = new float[COUNT * PIXELS];
        second = new float[COUNT * PIXELS];
        for (int i = 0; i < COUNT; i++) {
            data.image(i, first, i * PIXELS);
            data.image(COUNT + i, second, i * PIXELS);
        }
    }

    private static Result swd(float[] a, float[] b, Normalisation normalisation, long seed) {
        return SlicedWasserstein.between(Descriptors.of(a, COUNT, SIZE, PATCHES, seed),
                Descriptors.of(b, COUNT, SIZE, PATCHES, seed), DIRECTIONS, normalisation, seed);
    }

    /** Each image replaced by its mean over a (2r+1)² box, edges clamped. */
    private static float[] boxBlur(float[] images, int count, int size, int r) {
        float[] out = new float[images.length];
        for (int n = 0; n < count; n++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int c = 0; c < 3; c++) {
                        double sum = 0;
                        for (int dy = -r; dy <= r; dy++) {
                            for (int dx = -r; dx <= r; dx++) {
                                int yy = Math.min(size - 1, Math.max(0, y + dy)), xx = Math.min(size - 1, Math.max(0, x + dx));
                                sum += images[((n * size + yy) * size + xx) * 3 + c];
                            }
                        }
                        out[((n * size + y) * size + x) * 3 + c] = (float) (sum / ((2 * r + 1) * (2 * r + 1)));
                    }
                }
            }
        }
        return out;
    }

    private static float[] uniformNoise(SplittableRandom random, int length) {
        float[] out = new float[length];
        for (int i = 0; i < length; i++) out[i] = (float) random.nextDouble(-1, 1);
        return out;
    }

    // ---- the Laplacian pyramid

    @Test
    void collapsingThePyramidReturnsTheImage() {
        SplittableRandom random = new SplittableRandom(1);
        for (int size : new int[] {16, 32, 64, 128}) {
            // uniform noise in [-1, 1]: the largest band-pass values, so the worst case of the bound
            float[] image = uniformNoise(random, size * size * 3);
            int levels = LaplacianPyramid.levels(size);
            // pixels in [-1, 1] keep every Gaussian and upsampled image in [-1, 1] and the bands in [-2, 2]: rounding the
            // coarsest level (≤ 1 · 2⁻²⁴), each of the L − 1 bands (≤ 2 · 2⁻²⁴, never amplified by upsampling) and the
            // result (≤ 1 · 2⁻²⁴) moves a pixel by at most 2L · 2⁻²⁴; the double arithmetic adds at most
            // 2 · 15 · L roundings of 2⁻⁵³ (15 products and sums a pixel per up- or downsampling)
            double tolerance = 2 * levels * U_FLOAT + 30 * levels * U;
            float[] back = LaplacianPyramid.collapse(LaplacianPyramid.decompose(image, 0, size), size);
            assertThat(maxDifference(back, image)).as("%d px", size).isLessThanOrEqualTo(tolerance);
        }
        float[] face = Arrays.copyOfRange(first, 0, PIXELS);
        float[] back = LaplacianPyramid.collapse(LaplacianPyramid.decompose(face, 0, SIZE), SIZE);
        assertThat(maxDifference(back, face)).isLessThanOrEqualTo(2 * 2 * U_FLOAT + 30 * 2 * U);
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - (double) b[i]));
        return max;
    }

    @Test
    void downAndUpAreOpenCvsPyramidFiltersWithMirroredEdges() {
        // the 5×5 filter as ProGAN's pyr_down / pyr_up apply it: scipy.ndimage.convolve(mode='mirror') on the full grid
        // (zeros between the pixels for up, filter times 4), then every second pixel for down
        SplittableRandom random = new SplittableRandom(2);
        int size = 16;
        double[] image = new double[size * size * 3];
        for (int i = 0; i < image.length; i++) image[i] = random.nextDouble(-1, 1);
        double[] down = LaplacianPyramid.down(image, size), up = LaplacianPyramid.up(image, size);
        double[] filteredFull = convolveMirrored(image, size, 1);
        double[] zeroFilled = new double[4 * size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) zeroFilled[((2 * y) * 2 * size + 2 * x) * 3 + c] = image[(y * size + x) * 3 + c];
            }
        }
        double[] upExpected = convolveMirrored(zeroFilled, 2 * size, 4);
        // 25 products added in another order than the separable passes: each side is within 25 · 2⁻⁵³ of the exact
        // value (weights positive and summing to at most 1 per output, |pixels| ≤ 1)
        for (int y = 0; y < size / 2; y++) {
            for (int x = 0; x < size / 2; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(down[(y * size / 2 + x) * 3 + c])
                            .isCloseTo(filteredFull[((2 * y) * size + 2 * x) * 3 + c], offset(50 * U));
                }
            }
        }
        for (int i = 0; i < up.length; i++) assertThat(up[i]).isCloseTo(upExpected[i], offset(50 * U));
    }

    /** The 5×5 binomial filter times {@code gain} at every pixel, indices mirrored about the edge pixels. */
    private static double[] convolveMirrored(double[] image, int size, double gain) {
        double[] w = {1, 4, 6, 4, 1};
        double[] out = new double[image.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    for (int i = -2; i <= 2; i++) {
                        for (int j = -2; j <= 2; j++) {
                            int yy = mirror(y + i, size), xx = mirror(x + j, size);
                            sum += gain * w[i + 2] * w[j + 2] / 256 * image[(yy * size + xx) * 3 + c];
                        }
                    }
                    out[(y * size + x) * 3 + c] = sum;
                }
            }
        }
        return out;
    }

    private static int mirror(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
    }

    @Test
    void levelsRunFromTheImageSizeDownTo16Px() {
        assertThat(LaplacianPyramid.levels(16)).isEqualTo(1);
        assertThat(LaplacianPyramid.levels(31)).isEqualTo(1);
        assertThat(LaplacianPyramid.levels(32)).isEqualTo(2);
        assertThat(LaplacianPyramid.levels(64)).isEqualTo(3);
        assertThat(LaplacianPyramid.levels(48)).isEqualTo(2); // 48, 24
        assertThatThrownBy(() -> LaplacianPyramid.levels(8)).hasMessageContaining(">= 16 px, found 8");
        assertThatThrownBy(() -> LaplacianPyramid.levels(35)).hasMessageContaining("found 35 (odd at 35 px)");
        assertThat(LaplacianPyramid.levels(68)).isEqualTo(3); // 68, 34, 17: the last is never halved
        assertThatThrownBy(() -> LaplacianPyramid.levels(70)).hasMessageContaining("found 70 (odd at 35 px)");
    }

    // ---- the distance

    @Test
    void aSetIsAtDistanceZeroFromItself() {
        for (Normalisation normalisation : Normalisation.values()) {
            Result same = swd(first, first, normalisation, 7);
            assertThat(same.perLevel()).containsExactly(0, 0);
            assertThat(same.mean()).isZero();
        }
    }

    @Test
    void reportsEachLevelAndTheirMean() {
        Result result = swd(first, second, Normalisation.JOINT, 7);
        assertThat(result.resolutions()).containsExactly(32, 16);
        assertThat(result.perLevel()).hasSize(2);
        assertThat(result.perLevel()[0]).isPositive();
        assertThat(result.perLevel()[1]).isPositive();
        assertThat(result.mean()).isCloseTo((result.perLevel()[0] + result.perLevel()[1]) / 2, offset(4 * U * result.mean()));
    }

    @Test
    void twoHalvesOfOneDistributionAreCloseAndBlurDrivesThemApartMonotonically() {
        // finest level of first vs second, ×10³, for seeds 1..3 (100 faces, 64 patches, 128 directions):
        // unblurred 28.6 to 30.5; box blur r = 1: 413 to 417, r = 2: 643 to 646, r = 3: 760 to 768.
        // The unblurred value is the finite-sample floor of one distribution; the margins below are several times
        // the spread across seeds.
        double[] finest = new double[4], mean = new double[4];
        for (int r = 0; r <= 3; r++) {
            Result result = swd(first, r == 0 ? second : boxBlur(second, COUNT, SIZE, r), Normalisation.JOINT, 1);
            finest[r] = result.perLevel()[0];
            mean[r] = result.mean();
        }
        assertThat(finest[1]).isGreaterThan(5 * finest[0]);
        for (int r = 1; r <= 3; r++) {
            assertThat(finest[r]).as("finest level, blur radius %d", r).isGreaterThan(finest[r - 1]);
            assertThat(mean[r]).as("mean, blur radius %d", r).isGreaterThan(mean[r - 1]);
        }
        // and the halves are far closer to each other than to noise
        Result noise = swd(first, uniformNoise(new SplittableRandom(4), COUNT * PIXELS), Normalisation.JOINT, 1);
        assertThat(mean[0]).isLessThan(noise.mean() / 10);
    }

    @Test
    void perSetStandardisationAsProGanSeesBlurLessSharply() {
        // ProGAN standardises each set by itself, which rescales a blurred set's weakened fine band back to unit
        // variance: blur r = 1 multiplies the finest level by about 2.7 instead of 14 (seeds 1..3: 26 → 75, 29 → 73,
        // 26 → 70)
        Result plain = swd(first, second, Normalisation.PER_SET, 1);
        Result blurred = swd(first, boxBlur(second, COUNT, SIZE, 1), Normalisation.PER_SET, 1);
        Result blurredJoint = swd(first, boxBlur(second, COUNT, SIZE, 1), Normalisation.JOINT, 1);
        assertThat(blurred.perLevel()[0]).isGreaterThan(1.5 * plain.perLevel()[0]);
        assertThat(blurredJoint.perLevel()[0]).isGreaterThan(3 * blurred.perLevel()[0]);
    }

    @Test
    void perSetStandardisationIgnoresAContrastLossThatJointStandardisationPenalises() {
        // halving every pixel halves every level, mean and deviation exactly, and scaling by a power of 2 commutes
        // with rounding in float and double: per-set standardised projections, and so the distances, keep their bits
        float[] faded = second.clone();
        for (int i = 0; i < faded.length; i++) faded[i] *= 0.5f;
        assertThat(swd(first, faded, Normalisation.PER_SET, 1).perLevel())
                .containsExactly(swd(first, second, Normalisation.PER_SET, 1).perLevel());
        // jointly standardised, the faded set stands out at every level (×10³: finest 28.6 → 429, coarsest 64 → 486)
        Result plain = swd(first, second, Normalisation.JOINT, 1), fadedJoint = swd(first, faded, Normalisation.JOINT, 1);
        for (int k = 0; k < 2; k++) assertThat(fadedJoint.perLevel()[k]).isGreaterThan(3 * plain.perLevel()[k]);
    }

    @Test
    void theSeedFixesTheResultBitForBit() {
        Result once = swd(first, second, Normalisation.JOINT, 11), again = swd(first, second, Normalisation.JOINT, 11);
        assertThat(again.perLevel()).containsExactly(once.perLevel());
        assertThat(swd(first, second, Normalisation.JOINT, 12).perLevel()[0]).isNotEqualTo(once.perLevel()[0]);
    }

    @Test
    void setsOfDifferentSizesAreCompared() {
        float[] half = Arrays.copyOf(second, COUNT / 2 * PIXELS);
        Result result = SlicedWasserstein.between(Descriptors.of(first, COUNT, SIZE, PATCHES, 5),
                Descriptors.of(half, COUNT / 2, SIZE, PATCHES, 5), DIRECTIONS, Normalisation.JOINT, 5);
        Result full = swd(first, second, Normalisation.JOINT, 5);
        // a smaller set only adds sampling noise: the same order as the full-size floor, far below blur's 10× rise
        assertThat(result.mean()).isBetween(0.5 * full.mean(), 2 * full.mean());
    }

    @Test
    void theOneDimensionalDistanceIsTheAreaBetweenTheQuantileFunctions() {
        // a = {0, 1}: quantile 0 on (0, 1/2], 1 on (1/2, 1]; b = {0, 1, 2}: 0 on (0, 1/3], 1 on (1/3, 2/3], 2 on (2/3, 1]
        // |gap|: 0 on (0, 1/3], 1 on (1/3, 1/2], 0 on (1/2, 2/3], 1 on (2/3, 1]: 1/6 + 1/3 = 1/2 (exact in binary after
        // the final division of 3 by 6)
        assertThat(SlicedWasserstein.wasserstein1(new float[] {0, 1}, 0, new float[] {0, 1, 2}, 0)).isEqualTo(0.5);
        // equal sizes: the mean gap of the sorted values, |0 − 1| and |3 − 1|; offsets shift each set: a − 1 vs b − 0
        assertThat(SlicedWasserstein.wasserstein1(new float[] {0, 3}, 0, new float[] {1, 1}, 0)).isEqualTo(1.5);
        assertThat(SlicedWasserstein.wasserstein1(new float[] {1, 4}, 1, new float[] {1, 1}, 0)).isEqualTo(1.5);
    }

    @Test
    void projectionsSortAsArraysSortDoes() {
        SplittableRandom random = new SplittableRandom(6);
        float[] values = new float[5000];
        for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-30, 30)));
        values[0] = 0f;
        values[1] = -0f;
        values[2] = Float.POSITIVE_INFINITY;
        values[3] = Float.NEGATIVE_INFINITY;
        values[4] = Float.MIN_VALUE;
        values[5] = -Float.MAX_VALUE;
        float[] expected = values.clone();
        Arrays.sort(expected);
        RadixSort.sort(values, new int[values.length], new int[values.length + 3]);
        assertThat(values).containsExactly(expected);
    }

    @Test
    void rejectsInputsItCannotDescribe() {
        assertThatThrownBy(() -> Descriptors.of(new float[10], 1, SIZE, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3072 floats for 1 images of 32 px, found 10");
        assertThatThrownBy(() -> Descriptors.of(new float[8 * 8 * 3], 1, 8, 1)).hasMessageContaining(">= 16 px, found 8");
        assertThatThrownBy(() -> Descriptors.of(first, COUNT, SIZE, 0, 1)).hasMessageContaining("patchesPerImage must be >= 1, found 0");
        Descriptors small = Descriptors.of(new float[16 * 16 * 3], 1, 16, 4, 1), large = Descriptors.of(first, COUNT, SIZE, 4, 1);
        assertThatThrownBy(() -> SlicedWasserstein.between(small, large, 1)).hasMessageContaining("found 16 and 32 px");
        assertThatThrownBy(() -> SlicedWasserstein.between(large, large, 0, Normalisation.JOINT, 1))
                .hasMessageContaining("directions must be >= 1, found 0");
    }
}
