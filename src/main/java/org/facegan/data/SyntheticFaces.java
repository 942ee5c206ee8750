package org.facegan.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in procedural faces: cartoon portraits with ten CelebA attributes, each clearly visible at 32 px,
 * plus nuisance variation (pose, tilt, scale, position, skin tone, background, lighting).
 *
 * <p>A face is a pure function of (seed, index, size): the attributes and the drawing depend on (seed, index)
 * only, so the 32 and 64 px versions of a face match, and rendering order and threads do not matter. Each face is
 * drawn with antialiased Java2D at {@value #SUPERSAMPLE}x the target size and shrunk with an exact box filter.
 * See {@link FaceRecipe} for the attribute probabilities and correlations.
 */
public final class SyntheticFaces {
    /** The attributes, named as in CelebA's list_attr_celeba.txt, in the order of every attribute vector. */
    public static final List<String> ATTRIBUTES = List.of("Male", "Smiling", "Eyeglasses", "Blond_Hair",
            "Black_Hair", "Bald", "Mustache", "Young", "Wearing_Lipstick", "Pale_Skin");

    /** Image sizes the faces are drawn for, in px. */
    public static final List<Integer> SIZES = List.of(32, 64);

    /** Drawing resolution relative to the output size. */
    public static final int SUPERSAMPLE = 4;

    private SyntheticFaces() {}

    /**
     * Renders face {@code index} of the set with {@code seed}.
     *
     * @param seed the dataset seed
     * @param index the face's index, at least 0
     * @param size the image size in px, 32 or 64
     * @return the S x S image and its attributes
     * @throws IllegalArgumentException if size is not 32 or 64, or index is negative
     */
    public static SyntheticFace render(long seed, int index, int size) {
        checkSize(size);
        if (index < 0) throw new IllegalArgumentException("index must be >= 0, found " + index);
        FaceRecipe recipe = recipe(seed, index);
        int canvas = size * SUPERSAMPLE;
        BufferedImage big = new BufferedImage(canvas, canvas, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.scale(canvas / 100.0, canvas / 100.0);
            FacePainter.paint(g, recipe);
        } finally {
            g.dispose();
        }
        return new SyntheticFace(Downsampler.shrink(big, SUPERSAMPLE, recipe), recipe.attributes());
    }

    /**
     * The attributes of face {@code index} without drawing it.
     *
     * @return 0/1 values in {@link #ATTRIBUTES} order
     */
    public static float[] attributes(long seed, int index) {
        if (index < 0) throw new IllegalArgumentException("index must be >= 0, found " + index);
        return recipe(seed, index).attributes();
    }

    /**
     * @throws IllegalArgumentException naming the size and the supported ones
     */
    static void checkSize(int size) {
        if (!SIZES.contains(size)) {
            throw new IllegalArgumentException("size must be one of " + SIZES + " px, found " + size);
        }
    }

    static FaceRecipe recipe(long seed, int index) {
        return FaceRecipe.sample(new SplittableRandom(mix(seed, index)));
    }

    /** A well-spread 64-bit seed for one face (the SplitMix64 finaliser over seed and index). */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
