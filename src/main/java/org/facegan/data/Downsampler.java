package org.facegan.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Shrinks a supersampled canvas by an integer factor with a box filter (exact area averaging: each output pixel is
 * the mean of a factor x factor block) and applies the face's lighting on the way: a brightness gradient across
 * the image and a contrast change.
 */
final class Downsampler {
    private Downsampler() {}

    /**
     * @param src a TYPE_INT_RGB canvas whose sides are {@code factor} times the output's
     * @param factor the shrink factor, at least 1
     * @param f the recipe whose lighting to apply
     * @return a new TYPE_INT_RGB image
     */
    static BufferedImage shrink(BufferedImage src, int factor, FaceRecipe f) {
        int size = src.getWidth() / factor;
        int[] in = ((DataBufferInt) src.getRaster().getDataBuffer()).getData();
        BufferedImage dst = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) dst.getRaster().getDataBuffer()).getData();
        int stride = src.getWidth();
        double inv = 1.0 / (factor * factor);
        double cos = Math.cos(f.lightAngle()), sin = Math.sin(f.lightAngle());
        double contrast = f.contrast();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int r = 0, g = 0, b = 0;
                for (int dy = 0; dy < factor; dy++) {
                    int row = (y * factor + dy) * stride + x * factor;
                    for (int dx = 0; dx < factor; dx++) {
                        int p = in[row + dx];
                        r += (p >> 16) & 0xff;
                        g += (p >> 8) & 0xff;
                        b += p & 0xff;
                    }
                }
                // position in [-0.5, 0.5] along the light direction
                double along = ((x + 0.5) / size - 0.5) * cos + ((y + 0.5) / size - 0.5) * sin;
                double gain = f.brightness() * (1 + f.lightStrength() * along) * inv;
                out[y * size + x] = (light(r * gain, contrast) << 16) | (light(g * gain, contrast) << 8)
                        | light(b * gain, contrast);
            }
        }
        return dst;
    }

    private static int light(double v, double contrast) {
        long c = Math.round((v - 128) * contrast + 128);
        return (int) Math.max(0, Math.min(255, c));
    }
}
