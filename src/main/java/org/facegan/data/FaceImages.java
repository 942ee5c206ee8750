package org.facegan.data;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.imageio.ImageIO;

/** Reading face photos and bringing them to the model's size: decode, centre crop, resize. */
public final class FaceImages {
    /** File extensions of the photos the loaders look for (all readable by {@link #read}). */
    public static final Set<String> PHOTO_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "ppm", "pgm");

    private FaceImages() {}

    /** Whether the file's extension is one of {@link #PHOTO_EXTENSIONS}. */
    public static boolean isPhoto(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && PHOTO_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Decodes a JPEG, PNG, BMP or GIF file (javax.imageio) into 8-bit RGB, whatever its colour model (grey,
     * palette, 16-bit, alpha).
     *
     * @throws IllegalArgumentException naming the file when it is missing, empty or cannot be decoded
     */
    public static BufferedImage read(Path file) {
        BufferedImage raw;
        try {
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such image file");
            if (Files.size(file) == 0) throw new IllegalArgumentException(file + ": empty file, expected an image");
            raw = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot decode the image (" + e.getMessage() + ")", e);
        }
        if (raw == null) {
            throw new IllegalArgumentException(file + ": not an image format facegan reads (JPEG, PNG, BMP, GIF, PPM)");
        }
        return toRgb(raw);
    }

    /**
     * The centred {@code crop} x {@code crop} square (the largest centred square when crop is 0), resized to
     * {@code size} x {@code size} by area averaging.
     *
     * @throws IllegalArgumentException when the image is smaller than the crop
     */
    public static BufferedImage cropAndResize(BufferedImage img, int crop, int size, String source) {
        int w = img.getWidth(), h = img.getHeight();
        int side = crop > 0 ? crop : Math.min(w, h);
        if (side > w || side > h) {
            throw new IllegalArgumentException(source + ": " + w + "x" + h + " px is smaller than the "
                    + side + " px crop (use a smaller --crop)");
        }
        BufferedImage square = img.getSubimage((w - side) / 2, (h - side) / 2, side, side);
        if (side == size) return toRgb(square);
        Image scaled = square.getScaledInstance(size, size, Image.SCALE_AREA_AVERAGING);
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(scaled, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) return img;
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
