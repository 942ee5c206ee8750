package org.facegan.eval;

/**
 * The Laplacian pyramid of one image (Burt and Adelson 1983), as the sliced Wasserstein distance of Karras et al. 2018,
 * "Progressive Growing of GANs", builds it in their {@code sliced_wasserstein.py}: from S×S down to the last size
 * ≥ {@link #COARSEST} px, each level the difference between an image and the upsampled next-coarser one, and the last
 * level the coarsest Gaussian image itself. Down- and upsampling are OpenCV's {@code pyrDown} and {@code pyrUp}: the
 * 5×5 binomial filter ([1, 4, 6, 4, 1] / 16 in each direction) with mirrored edges (... c b | a b c ..., OpenCV's
 * BORDER_REFLECT_101, scipy's {@code mode='mirror'}), then every second pixel; or zeros between the pixels, then the
 * filter times 4.
 *
 * <p>Images are HWC with 3 channels. The arithmetic is in double and only the levels are rounded to float, so
 * {@link #collapse} returns the image to within a few float roundings (see its Javadoc).
 */
final class LaplacianPyramid {
    /** The smallest level's size in px: ProGAN stops at the last resolution ≥ 16. */
    static final int COARSEST = 16;
    private static final int CHANNELS = 3;
    /** The binomial filter, per direction. */
    private static final double[] FILTER = {1 / 16.0, 4 / 16.0, 6 / 16.0, 4 / 16.0, 1 / 16.0};

    private LaplacianPyramid() {}

    /**
     * How many levels an S×S image has: S, S/2, ... while ≥ {@value #COARSEST}.
     *
     * @throws IllegalArgumentException if S is below {@value #COARSEST} or a level that is halved has an odd size
     */
    static int levels(int size) {
        if (size < COARSEST) throw new IllegalArgumentException("image size must be >= " + COARSEST + " px, found " + size);
        int levels = 1;
        for (int s = size; s / 2 >= COARSEST; s /= 2, levels++) {
            if (s % 2 != 0) {
                throw new IllegalArgumentException("image size must halve exactly down to the last size >= " + COARSEST
                        + " px (e.g. 32 or 64), found " + size + " (odd at " + s + " px)");
            }
        }
        return levels;
    }

    /** The size in px of level {@code level} of an S×S image. */
    static int levelSize(int size, int level) {
        return size >> level;
    }

    /**
     * The pyramid of the S×S×3 image at {@code images[offset ..]}: level k is (S/2^k)×(S/2^k)×3, HWC; the last is the
     * coarsest Gaussian image, the others are band-pass differences.
     */
    static float[][] decompose(float[] images, int offset, int size) {
        int levels = levels(size);
        float[][] out = new float[levels][];
        double[] gaussian = new double[size * size * CHANNELS];
        for (int i = 0; i < gaussian.length; i++) gaussian[i] = images[offset + i];
        int s = size;
        for (int k = 0; k < levels - 1; k++, s /= 2) {
            double[] coarser = down(gaussian, s);
            double[] predicted = up(coarser, s / 2);
            out[k] = new float[gaussian.length];
            for (int i = 0; i < gaussian.length; i++) out[k][i] = (float) (gaussian[i] - predicted[i]);
            gaussian = coarser;
        }
        out[levels - 1] = new float[gaussian.length];
        for (int i = 0; i < gaussian.length; i++) out[levels - 1][i] = (float) gaussian[i];
        return out;
    }

    /**
     * The image back from its pyramid: the coarsest level, upsampled and added to each finer level in turn. For pixels
     * in [-1, 1] every Gaussian image and every upsampled one stays in [-1, 1] (the filters' weights are positive and
     * sum to 1, edges included), so the band-pass levels are in [-2, 2]; rounding the L levels to float and the result
     * back to float then moves a pixel by at most 2⁻²⁴ (1 + 2 (L − 1) + 1) = 2L · 2⁻²⁴, upsampling never amplifying an
     * error, plus double rounding.
     */
    static float[] collapse(float[][] levels, int size) {
        int count = levels(size);
        if (levels.length != count) {
            throw new IllegalArgumentException("a " + size + " px pyramid has " + count + " levels, found " + levels.length);
        }
        int s = levelSize(size, count - 1);
        double[] image = new double[levels[count - 1].length];
        for (int i = 0; i < image.length; i++) image[i] = levels[count - 1][i];
        for (int k = count - 2; k >= 0; k--, s *= 2) {
            double[] finer = up(image, s);
            for (int i = 0; i < finer.length; i++) finer[i] += levels[k][i];
            image = finer;
        }
        float[] out = new float[image.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) image[i];
        return out;
    }

    /** OpenCV's pyrDown: filter, keep even rows and columns. S×S×3 → (S/2)×(S/2)×3. */
    static double[] down(double[] image, int size) {
        int half = size / 2;
        double[] rows = new double[size * half * CHANNELS]; // [S, S/2, 3]: filtered along x at even x
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < half; x++) {
                for (int c = 0; c < CHANNELS; c++) {
                    double v = 0;
                    for (int t = 0; t < FILTER.length; t++) v += FILTER[t] * image[(y * size + mirror(2 * x + t - 2, size)) * CHANNELS + c];
                    rows[(y * half + x) * CHANNELS + c] = v;
                }
            }
        }
        double[] out = new double[half * half * CHANNELS]; // [S/2, S/2, 3]: then along y at even y
        for (int y = 0; y < half; y++) {
            for (int x = 0; x < half; x++) {
                for (int c = 0; c < CHANNELS; c++) {
                    double v = 0;
                    for (int t = 0; t < FILTER.length; t++) v += FILTER[t] * rows[(mirror(2 * y + t - 2, size) * half + x) * CHANNELS + c];
                    out[(y * half + x) * CHANNELS + c] = v;
                }
            }
        }
        return out;
    }

    /**
     * OpenCV's pyrUp: zeros between the pixels, then the filter times 4 (times 2 per direction), edges mirrored on the
     * 2S grid. S×S×3 → 2S×2S×3. Only the even taps of the zero-filled grid contribute, so each output pixel is a
     * weighted mean of its coarse neighbours ([1, 6, 1] / 8 on even positions, [4, 4] / 8 on odd ones, per direction).
     */
    static double[] up(double[] image, int size) {
        int twice = size * 2;
        double[] rows = new double[size * twice * CHANNELS]; // [S, 2S, 3]: along x
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < twice; x++) {
                for (int c = 0; c < CHANNELS; c++) {
                    double v = 0;
                    for (int t = 0; t < FILTER.length; t++) {
                        int source = mirror(x + t - 2, twice);
                        if (source % 2 == 0) v += 2 * FILTER[t] * image[(y * size + source / 2) * CHANNELS + c];
                    }
                    rows[(y * twice + x) * CHANNELS + c] = v;
                }
            }
        }
        double[] out = new double[twice * twice * CHANNELS]; // [2S, 2S, 3]: then along y
        for (int y = 0; y < twice; y++) {
            for (int x = 0; x < twice; x++) {
                for (int c = 0; c < CHANNELS; c++) {
                    double v = 0;
                    for (int t = 0; t < FILTER.length; t++) {
                        int source = mirror(y + t - 2, twice);
                        if (source % 2 == 0) v += 2 * FILTER[t] * rows[((source / 2) * twice + x) * CHANNELS + c];
                    }
                    out[(y * twice + x) * CHANNELS + c] = v;
                }
            }
        }
        return out;
    }

    /** Index i of a line of n samples, mirrored about the end samples (-1 → 1, n → n − 2). */
    private static int mirror(int i, int n) {
        if (i < 0) return -i;
        if (i >= n) return 2 * (n - 1) - i;
        return i;
    }
}
