package org.facegan.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Face images from files: PNG or JPEG (anything javax.imageio reads), centre-cropped to a square and resized to
 * the model's size, as HWC RGB floats in [-1, 1].
 */
public final class ImageFiles {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private ImageFiles() {}

    /**
     * The files named: files as given, directories replaced by their PNG/JPEG files (not recursive, sorted by
     * name).
     *
     * @throws IllegalArgumentException naming a path that does not exist or a directory without images
     */
    public static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> list = Files.list(p)) {
                    List<Path> images = list.filter(f -> Files.isRegularFile(f) && isImageName(f)).sorted().toList();
                    if (images.isEmpty()) throw new IllegalArgumentException(p + ": directory holds no .png/.jpg/.jpeg files");
                    out.addAll(images);
                } catch (IOException e) {
                    throw new IllegalArgumentException(p + ": cannot list directory (" + e.getMessage() + ")", e);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException(p + ": no such file or directory");
            }
        }
        return out;
    }

    /**
     * Reads one image into dst.
     *
     * @param size S: the image is centre-cropped to a square and scaled to S x S if it is not already
     * @param dst room for S * S * 3 floats from offset
     * @throws IllegalArgumentException naming the file if it cannot be read as an image
     */
    public static void read(Path file, int size, float[] dst, int offset) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read image (" + e.getMessage() + ")", e);
        }
        if (img == null) throw new IllegalArgumentException(file + ": not a PNG or JPEG image");
        ImageGrid.toFloats(squareAt(img, size), dst, offset);
    }

    /** Reads several images: [n, S, S, 3]. */
    public static float[] readAll(List<Path> files, int size) {
        float[] out = new float[files.size() * size * size * 3];
        for (int i = 0; i < files.size(); i++) read(files.get(i), size, out, i * size * size * 3);
        return out;
    }

    /** The centre square of img scaled to size x size (bilinear, in steps of at most 2x when shrinking). */
    static BufferedImage squareAt(BufferedImage img, int size) {
        int side = Math.min(img.getWidth(), img.getHeight());
        BufferedImage current = img.getSubimage((img.getWidth() - side) / 2, (img.getHeight() - side) / 2, side, side);
        if (side == size && img.getType() == BufferedImage.TYPE_INT_RGB) return current;
        int s = side;
        do {
            s = s / 2 >= size ? s / 2 : size;
            current = scaled(current, s);
        } while (s != size);
        return current;
    }

    private static BufferedImage scaled(BufferedImage img, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static boolean isImageName(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}
