package org.facegan.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The sliced Wasserstein distance between two sets of images on Laplacian-pyramid patches (Karras et al. 2018,
 * "Progressive Growing of GANs for Improved Quality, Stability, and Variation", section 5, and their
 * {@code metrics/sliced_wasserstein.py}). It looks at pixels, not at a classifier's features, so it sees texture,
 * sharpness and checkerboards at each scale.
 *
 * <ol>
 *   <li>Each image's {@link LaplacianPyramid} from S×S down to the last size ≥ 16 px (S, S/2, ..., one level each).
 *   <li>At each level, {@link #PATCHES_PER_IMAGE_DEFAULT} random 7×7×3 patches per image (centres at least 3 px from
 *       the edge), each a descriptor of 147 values.
 *   <li>Per level, each channel's values over all patches are standardised (mean subtracted, divided by the standard
 *       deviation): {@link Normalisation#JOINT} over both sets by default, or {@link Normalisation#PER_SET} as
 *       ProGAN's {@code finalize_descriptors} does.
 *   <li>Per level, the SWD is the mean over {@link #DIRECTIONS_DEFAULT} random unit directions of the 1-D
 *       Wasserstein-1 distance between the two sets' projections onto the direction (from their sorted values).
 * </ol>
 *
 * Values are raw: ProGAN prints them times 10³ ("SWDx1e3_64"). The seed fixes the patch positions and the directions,
 * so a result repeats bit for bit; two sets described with the same seed and count share patch positions, so a set is
 * at distance exactly 0 from itself. Projections are float, as ProGAN's float32 matmul; the distances accumulate in
 * double.
 */
public final class SlicedWasserstein {
    /** Patches per image per level, as ProGAN. */
    public static final int PATCHES_PER_IMAGE_DEFAULT = 128;
    /** Random directions per level: ProGAN's 4 repeats of 128. */
    public static final int DIRECTIONS_DEFAULT = 512;
    /** Patch side in px (ProGAN's {@code nhood_size}). */
    public static final int PATCH = 7;
    private static final int CHANNELS = 3;
    /** Values per descriptor, 7 · 7 · 3, in HWC order. */
    static final int DESCRIPTOR = PATCH * PATCH * CHANNELS;
    /**
     * Directions projected at once (ProGAN's 128 a repeat): the projections held are 128 floats a patch of both sets,
     * 262 MB for 2000 images a set; narrower blocks vectorise less well.
     */
    private static final int DIRECTION_BLOCK = 128;
    /** Separates the directions' random stream from the patches' for one seed. */
    private static final long DIRECTION_SEED_SALT = 0x5EED_D1CE_C0FF_EE00L;

    private SlicedWasserstein() {}

    /** How each level's descriptors are standardised before projecting. */
    public enum Normalisation {
        /**
         * One mean and standard deviation per channel over the patches of both sets: a set whose band has too little
         * or too much energy (blur, over-sharpening, washed-out colour) is penalised for it.
         */
        JOINT,
        /**
         * Each set by its own patches, as ProGAN's {@code finalize_descriptors} (called per set in {@code end()}):
         * blind to a per-level, per-channel gain or offset (a faded or washed-out set scores as the original), but
         * ProGAN's definition.
         */
        PER_SET
    }

    /**
     * The distance at each pyramid level and their mean.
     *
     * @param resolutions each level's size in px, finest first (e.g. 64, 32, 16)
     * @param perLevel the SWD at each level, raw (ProGAN's display value is 10³ times this)
     * @param mean the mean of {@code perLevel} (ProGAN's "SWDx1e3_avg" / 10³)
     */
    public record Result(int[] resolutions, double[] perLevel, double mean) {}

    /**
     * One set's Laplacian pyramids and random patch positions, computed once and compared with any other set of the
     * same image size (e.g. the held-out faces against each checkpoint's). Holds count · S² · 4 / 3 floats of levels
     * (129 MB for 2000 images of 64 px) and one int per patch, not the patches themselves.
     */
    public static final class Descriptors {
        private final int size, count, patchesPerImage;
        private final float[][] levels;   // per level: count images, HWC
        private final int[][] centres;    // per level: y · 65536 + x for each patch, image j's at [j · patchesPerImage ..]
        private final double[][] means;   // per level, per channel, over all patches
        private final double[][] squares; // per level, per channel: Σ (v − mean)² over all patches

        private Descriptors(int size, int count, int patchesPerImage, float[][] levels, int[][] centres) {
            this.size = size;
            this.count = count;
            this.patchesPerImage = patchesPerImage;
            this.levels = levels;
            this.centres = centres;
            this.means = new double[levels.length][];
            this.squares = new double[levels.length][];
            for (int k = 0; k < levels.length; k++) moments(k);
        }

        /** {@link #of(float[], int, int, int, long)} with 128 patches per image. */
        public static Descriptors of(float[] images, int count, int size, long seed) {
            return of(images, count, size, PATCHES_PER_IMAGE_DEFAULT, seed);
        }

        /**
         * The pyramids of {@code count} images and {@code patchesPerImage} random patch positions per image and level.
         *
         * @param images [count, size, size, 3], HWC, any range (ProGAN's are uint8; the standardisation removes scale)
         * @param count number of images, at least 1
         * @param size image side in px: at least 16 and halving exactly down to the last size ≥ 16 (32, 64, 128, ...)
         * @param patchesPerImage patches per image and level, at least 1; default
         *     {@value SlicedWasserstein#PATCHES_PER_IMAGE_DEFAULT}
         * @param seed fixes the patch positions: the same seed, count, size and patches per image give the same positions
         *     for any images
         * @throws IllegalArgumentException if a count or the size is out of range or {@code images} has another length
         */
        public static Descriptors of(float[] images, int count, int size, int patchesPerImage, long seed) {
            int levelCount = LaplacianPyramid.levels(size);
            if (count < 1) throw new IllegalArgumentException("count must be >= 1, found " + count);
            if (patchesPerImage < 1) {
                throw new IllegalArgumentException("patchesPerImage must be >= 1, found " + patchesPerImage);
            }
            int pixels = size * size * CHANNELS;
            if (images.length != (long) count * pixels) {
                throw new IllegalArgumentException("images must hold count * size * size * 3 = " + (long) count * pixels
                        + " floats for " + count + " images of " + size + " px, found " + images.length);
            }
            float[][] levels = new float[levelCount][];
            for (int k = 0; k < levelCount; k++) {
                int s = LaplacianPyramid.levelSize(size, k);
                levels[k] = new float[count * s * s * CHANNELS];
            }
            IntStream.range(0, count).parallel().forEach(j -> {
                float[][] pyramid = LaplacianPyramid.decompose(images, j * pixels, size);
                for (int k = 0; k < levelCount; k++) {
                    System.arraycopy(pyramid[k], 0, levels[k], j * pyramid[k].length, pyramid[k].length);
                }
            });
            // ProGAN: centres uniform in [3, s − 3), so that the patch lies inside the level
            SplittableRandom random = new SplittableRandom(seed);
            int half = PATCH / 2;
            int[][] centres = new int[levelCount][count * patchesPerImage];
            for (int k = 0; k < levelCount; k++) {
                int s = LaplacianPyramid.levelSize(size, k);
                for (int p = 0; p < centres[k].length; p++) {
                    int y = half + random.nextInt(s - 2 * half), x = half + random.nextInt(s - 2 * half);
                    centres[k][p] = y << 16 | x;
                }
            }
            return new Descriptors(size, count, patchesPerImage, levels, centres);
        }

        public int size() {
            return size;
        }

        public int count() {
            return count;
        }

        public int patchesPerImage() {
            return patchesPerImage;
        }

        int patches(int level) {
            return centres[level].length;
        }

        /** Where patch p's value (dy, dx, c) = (0, 0, 0) lies in level k's array; its rows follow every s · 3 floats. */
        int origin(int level, int p) {
            int s = LaplacianPyramid.levelSize(size, level), half = PATCH / 2;
            int image = p / patchesPerImage, y = (centres[level][p] >>> 16) - half, x = (centres[level][p] & 0xFFFF) - half;
            return ((image * s + y) * s + x) * CHANNELS;
        }

        /** Per channel mean and Σ (v − mean)² of level k's patch values, two passes in double, per image in parallel. */
        private void moments(int k) {
            int patches = centres[k].length, values = patches * PATCH * PATCH;
            double[][] perImage = new double[count][CHANNELS];
            forEachImage(k, perImage, (v, c, sums) -> sums[c] += v);
            double[] mean = new double[CHANNELS];
            for (double[] sums : perImage) for (int c = 0; c < CHANNELS; c++) mean[c] += sums[c];
            for (int c = 0; c < CHANNELS; c++) mean[c] /= values;
            double[][] perImageSquares = new double[count][CHANNELS];
            forEachImage(k, perImageSquares, (v, c, sums) -> sums[c] += (v - mean[c]) * (v - mean[c]));
            double[] squared = new double[CHANNELS];
            for (double[] sums : perImageSquares) for (int c = 0; c < CHANNELS; c++) squared[c] += sums[c];
            means[k] = mean;
            squares[k] = squared;
        }

        private interface Accumulator {
            void add(double value, int channel, double[] sums);
        }

        private void forEachImage(int k, double[][] perImage, Accumulator accumulator) {
            int s = LaplacianPyramid.levelSize(size, k);
            float[] level = levels[k];
            IntStream.range(0, count).parallel().forEach(j -> {
                for (int p = j * patchesPerImage; p < (j + 1) * patchesPerImage; p++) {
                    int origin = origin(k, p);
                    for (int dy = 0; dy < PATCH; dy++) {
                        for (int t = 0; t < PATCH * CHANNELS; t++) {
                            accumulator.add(level[origin + dy * s * CHANNELS + t], t % CHANNELS, perImage[j]);
                        }
                    }
                }
            });
        }
    }

    /** {@link #between(Descriptors, Descriptors, int, Normalisation, long)} of two image sets, all defaults. */
    public static Result between(float[] imagesA, int countA, float[] imagesB, int countB, int size, long seed) {
        return between(Descriptors.of(imagesA, countA, size, seed), Descriptors.of(imagesB, countB, size, seed), seed);
    }

    /** {@link #between(Descriptors, Descriptors, int, Normalisation, long)} with 512 directions, jointly standardised. */
    public static Result between(Descriptors a, Descriptors b, long seed) {
        return between(a, b, DIRECTIONS_DEFAULT, Normalisation.JOINT, seed);
    }

    /**
     * The SWD between two described sets, per level and averaged. With different numbers of patches the 1-D distance
     * is the integral of |F_a⁻¹(t) − F_b⁻¹(t)| over t in [0, 1], of which ProGAN's mean |a₍ᵢ₎ − b₍ᵢ₎| is the
     * equal-count case.
     *
     * @param a one set's descriptors
     * @param b the other's, for images of the same size
     * @param directions random unit directions per level, at least 1; default {@value #DIRECTIONS_DEFAULT}
     * @param normalisation how each level is standardised; default {@link Normalisation#JOINT}
     * @param seed fixes the directions
     * @throws IllegalArgumentException if the image sizes differ or {@code directions} is below 1
     */
    public static Result between(Descriptors a, Descriptors b, int directions, Normalisation normalisation, long seed) {
        if (a.size != b.size) {
            throw new IllegalArgumentException("both sets must have one image size, found " + a.size + " and " + b.size + " px");
        }
        if (directions < 1) throw new IllegalArgumentException("directions must be >= 1, found " + directions);
        SplittableRandom random = new SplittableRandom(seed ^ DIRECTION_SEED_SALT);
        int levels = a.levels.length;
        int[] resolutions = new int[levels];
        double[] perLevel = new double[levels];
        double mean = 0;
        for (int k = 0; k < levels; k++) {
            resolutions[k] = LaplacianPyramid.levelSize(a.size, k);
            perLevel[k] = level(a, b, k, unitDirections(random, directions), normalisation);
            mean += perLevel[k] / levels;
        }
        return new Result(resolutions, perLevel, mean);
    }

    /** Directions uniform on the unit sphere in 147 dimensions: normalised Gaussian vectors. */
    private static double[][] unitDirections(SplittableRandom random, int count) {
        double[][] out = new double[count][DESCRIPTOR];
        for (double[] direction : out) {
            double norm = 0;
            for (int i = 0; i < DESCRIPTOR; i++) {
                direction[i] = random.nextGaussian();
                norm += direction[i] * direction[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < DESCRIPTOR; i++) direction[i] /= norm;
        }
        return out;
    }

    /** The mean over the directions of the 1-D Wasserstein-1 distance at level k, directions in blocks. */
    private static double level(Descriptors a, Descriptors b, int k, double[][] directions, Normalisation normalisation) {
        double[][] scaleA = new double[2][], scaleB = new double[2][];
        standardisation(a, b, k, normalisation, scaleA, scaleB);
        double[] distances = new double[directions.length];
        for (int from = 0; from < directions.length; from += DIRECTION_BLOCK) {
            int to = Math.min(directions.length, from + DIRECTION_BLOCK);
            double[][] block = Arrays.copyOfRange(directions, from, to);
            Projections pa = project(a, k, block, scaleA[0], scaleA[1]), pb = project(b, k, block, scaleB[0], scaleB[1]);
            sortAll(pa.values);
            sortAll(pb.values);
            int first = from;
            IntStream.range(0, block.length).parallel().forEach(j ->
                    distances[first + j] = wasserstein1(pa.values[j], pa.offsets[j], pb.values[j], pb.offsets[j]));
        }
        double mean = 0;
        for (double d : distances) mean += d;
        return mean / directions.length;
    }

    /** Each set's per-channel {mean, std} at level k for the chosen normalisation, into scaleA and scaleB. */
    private static void standardisation(Descriptors a, Descriptors b, int k, Normalisation normalisation,
                                        double[][] scaleA, double[][] scaleB) {
        double na = a.patches(k) * (double) (PATCH * PATCH), nb = b.patches(k) * (double) (PATCH * PATCH);
        if (normalisation == Normalisation.PER_SET) {
            scaleA[0] = a.means[k];
            scaleA[1] = deviations(a.squares[k], na);
            scaleB[0] = b.means[k];
            scaleB[1] = deviations(b.squares[k], nb);
            return;
        }
        // Chan et al.'s pooled moments: mean and Σ (v − mean)² of both sets from each set's own
        double[] mean = new double[CHANNELS], squares = new double[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            double delta = b.means[k][c] - a.means[k][c];
            mean[c] = a.means[k][c] + delta * nb / (na + nb);
            squares[c] = a.squares[k][c] + b.squares[k][c] + delta * delta * na * nb / (na + nb);
        }
        scaleA[0] = scaleB[0] = mean;
        scaleA[1] = scaleB[1] = deviations(squares, na + nb);
    }

    /** Population standard deviations; a constant channel (deviation 0) is left unscaled, all its values being 0. */
    private static double[] deviations(double[] squares, double n) {
        double[] out = new double[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            double std = Math.sqrt(squares[c] / n);
            out[c] = std > 0 ? std : 1;
        }
        return out;
    }

    /**
     * One set's projections onto a block of directions, values[j][p] = Σᵢ (dⱼᵢ / σ_c(i)) vₚᵢ, and offsets[j] =
     * Σᵢ dⱼᵢ μ_c(i) / σ_c(i): the standardised projection is values − offset. The offset, the same for all of the set's
     * patches, is left out of the float sums and taken off in double when the sorted values are compared.
     */
    private record Projections(float[][] values, double[] offsets) {}

    private static Projections project(Descriptors set, int k, double[][] directions, double[] mean, double[] std) {
        int width = directions.length, patches = set.patches(k), stride = LaplacianPyramid.levelSize(set.size, k) * CHANNELS;
        // one array per descriptor component, holding that component of every direction: the inner loop below then
        // runs over whole arrays from index 0, which HotSpot vectorises (an offset into one flat array defeats it)
        float[][] weights = new float[DESCRIPTOR][width];
        double[] offsets = new double[width];
        for (int j = 0; j < width; j++) {
            for (int i = 0; i < DESCRIPTOR; i++) {
                int c = i % CHANNELS;
                weights[i][j] = (float) (directions[j][i] / std[c]);
                offsets[j] += directions[j][i] * mean[c] / std[c];
            }
        }
        float[][] values = new float[width][patches];
        float[] level = set.levels[k];
        int chunk = 1024;
        IntStream.range(0, (patches + chunk - 1) / chunk).parallel().forEach(part -> {
            float[] sum = new float[width];
            for (int p = part * chunk; p < Math.min(patches, (part + 1) * chunk); p++) {
                Arrays.fill(sum, 0);
                int origin = set.origin(k, p);
                for (int dy = 0; dy < PATCH; dy++) {
                    int row = origin + dy * stride;
                    for (int t = 0; t < PATCH * CHANNELS; t++) {
                        float v = level[row + t];
                        float[] w = weights[dy * PATCH * CHANNELS + t];
                        for (int j = 0; j < width; j++) sum[j] += v * w[j];
                    }
                }
                for (int j = 0; j < width; j++) values[j][p] = sum[j];
            }
        });
        return new Projections(values, offsets);
    }

    /**
     * Sorts each array ascending, spread over the available cores (each array sorted by one thread, so the result does
     * not depend on their number).
     */
    private static void sortAll(float[][] arrays) {
        int threads = Math.min(arrays.length, Runtime.getRuntime().availableProcessors());
        int longest = 0;
        for (float[] a : arrays) longest = Math.max(longest, a.length);
        int scratch = longest;
        IntStream.range(0, threads).parallel().forEach(thread -> {
            int[] keys = new int[scratch], buffer = new int[scratch];
            for (int j = thread; j < arrays.length; j += threads) RadixSort.sort(arrays[j], keys, buffer);
        });
    }

    /**
     * W₁ between the empirical distributions of (a − offsetA) and (b − offsetB), a and b sorted ascending: the
     * integral over t in [0, 1] of the gap between their quantile functions, which step at i / |a| and j / |b|
     * (compared exactly as i · |b| against j · |a|).
     */
    static double wasserstein1(float[] a, double offsetA, float[] b, double offsetB) {
        long n = a.length, m = b.length;
        double shift = offsetB - offsetA, sum = 0;
        long t = 0; // in units of 1 / (n m)
        int i = 0, j = 0;
        while (i < n && j < m) {
            long nextA = (i + 1) * m, nextB = (j + 1) * n, next = Math.min(nextA, nextB);
            sum += (next - t) * Math.abs(a[i] - (double) b[j] + shift);
            t = next;
            if (nextA == next) i++;
            if (nextB == next) j++;
        }
        return sum / ((double) n * m);
    }
}
