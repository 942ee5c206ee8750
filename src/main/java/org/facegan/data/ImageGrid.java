package org.facegan.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.facegan.io.AtomicFiles;

/**
 * Converts between {@link FaceDataset}'s float images (HWC RGB in [-1, 1]) and {@link BufferedImage}s, tiles
 * images into a grid and writes PNGs atomically.
 */
public final class ImageGrid {
    /** Pixels between neighbouring tiles of a grid. */
    public static final int GAP = 2;
    private static final Color GAP_COLOR = Color.WHITE;

    private ImageGrid() {}

    /**
     * One float image as an RGB image; values outside [-1, 1] are clipped.
     *
     * @param src HWC RGB floats in [-1, 1]
     * @param offset where the image starts in src
     * @param size S, the image is S x S
     * @return a new TYPE_INT_RGB image
     */
    public static BufferedImage fromFloats(float[] src, int offset, int size) {
        int n = size * size;
        if (size < 1 || offset < 0 || offset + 3L * n > src.length) {
            throw new IllegalArgumentException("a " + size + " px image at offset " + offset + " needs "
                    + (offset + 3L * n) + " floats, found " + src.length);
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int p = 0, s = offset; p < n; p++, s += 3) {
            out[p] = (toByte(src[s]) << 16) | (toByte(src[s + 1]) << 8) | toByte(src[s + 2]);
        }
        return img;
    }

    /**
     * Writes an image's pixels as HWC RGB floats in [-1, 1] (0 maps to -1, 255 to 1).
     *
     * @param img an image of any type
     * @param dst destination, with room for width * height * 3 floats from offset
     * @param offset where to start writing
     */
    public static void toFloats(BufferedImage img, float[] dst, int offset) {
        int w = img.getWidth(), h = img.getHeight();
        if (offset < 0 || offset + 3L * w * h > dst.length) {
            throw new IllegalArgumentException("a " + w + "x" + h + " image at offset " + offset + " needs "
                    + (offset + 3L * w * h) + " floats, found " + dst.length);
        }
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int p = 0, d = offset; p < rgb.length; p++, d += 3) {
            dst[d] = toFloat((rgb[p] >> 16) & 0xff);
            dst[d + 1] = toFloat((rgb[p] >> 8) & 0xff);
            dst[d + 2] = toFloat(rgb[p] & 0xff);
        }
    }

    /**
     * Tiles {@code count} float images row by row into a grid of C = min(cols, count) columns and
     * R = ceil(count / C) rows, with {@value #GAP} px of white between tiles (none around the border).
     *
     * @param images count consecutive HWC RGB float images in [-1, 1]
     * @param count how many images to tile, at least 1
     * @param size S, each image is S x S
     * @param cols columns, at least 1
     * @return an image C * S + (C - 1) * GAP wide and R * S + (R - 1) * GAP tall
     */
    public static BufferedImage grid(float[] images, int count, int size, int cols) {
        if (count < 1) throw new IllegalArgumentException("count must be >= 1, found " + count);
        if (cols < 1) throw new IllegalArgumentException("cols must be >= 1, found " + cols);
        if (size < 1) throw new IllegalArgumentException("size must be >= 1, found " + size);
        int columns = Math.min(cols, count);
        int rows = (count + columns - 1) / columns;
        int pixels = size * size * 3;
        if ((long) count * pixels > images.length) {
            throw new IllegalArgumentException(count + " images of " + size + " px need " + (long) count * pixels
                    + " floats, found " + images.length);
        }
        BufferedImage out = new BufferedImage(columns * size + (columns - 1) * GAP, rows * size + (rows - 1) * GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(GAP_COLOR);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < count; i++) {
                int x = (i % columns) * (size + GAP), y = (i / columns) * (size + GAP);
                g.drawImage(fromFloats(images, i * pixels, size), x, y, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Writes a PNG atomically: into a temporary file beside {@code file}, then moved over it, so readers never see
     * half a file. Creates missing parent directories.
     *
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static void writePng(BufferedImage img, Path file) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            // encoded in memory first: ImageIO would hide a full disk behind "I/O error writing PNG file!"
            if (!ImageIO.write(img, "png", png)) throw new IOException("no PNG writer for image type " + img.getType());
            Path target = file.toAbsolutePath();
            Files.createDirectories(target.getParent());
            AtomicFiles.write(target, png.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static int toByte(float v) {
        int b = Math.round((v + 1f) * 127.5f);
        return b < 0 ? 0 : Math.min(b, 255);
    }

    static float toFloat(int b) {
        return b / 127.5f - 1f;
    }
}
