package org.facegan.data;

import java.awt.Color;
import java.util.List;

/**
 * The nuisance factors of the built-in faces, read off their {@link FaceRecipe}s (no drawing, no new draws: the
 * faces stay as they are). Continuous factors only; the attributes are what the attribute classifier reads.
 *
 * <pre>
 *   pose       dx, dy (face units), tilt (radians), scale, yaw
 *   lighting   brightness, contrast, light_x = strength·cos(angle), light_y = strength·sin(angle), light_strength
 *   colours    skin, background (the top of the gradient), shirt: RGB in [0, 1]
 *   shape      hair_volume (faces with hair), hair_length (long hair: women with hair)
 * </pre>
 *
 * The light is a gain gradient of slope {@code strength} along {@code angle} (see {@link Downsampler}): its two
 * components are what an image shows, while the angle alone means nothing when the strength is near 0. Each factor
 * is standardised with the mean and standard deviation over faces 0 .. {@value #REFERENCE_FACES}-1 of the same
 * seed, so a face's factors depend only on (seed, index), not on how many faces the dataset holds.
 *
 * <p>Left out: the recipe's {@code jaw} (it moves the chin's corners by about a pixel at 32 px, against a neck of
 * nearly the skin's colour: a regressor trained for 1500 steps read it with a held-out R² of -0.05, i.e. not at
 * all), the hair's parting, the second background colour, and the colours of the iris, the frames and the hair.
 */
final class SyntheticNuisance {
    static final List<String> NAMES = List.of("dx", "dy", "tilt", "scale", "yaw",
            "brightness", "contrast", "light_x", "light_y", "light_strength",
            "skin_r", "skin_g", "skin_b", "background_r", "background_g", "background_b",
            "shirt_r", "shirt_g", "shirt_b", "hair_volume", "hair_length");

    /** Faces whose factors set the mean and standard deviation. */
    static final int REFERENCE_FACES = 4096;

    private final double[] mean = new double[NAMES.size()], sd = new double[NAMES.size()];

    /** The standardisation of the faces with {@code seed}. */
    SyntheticNuisance(long seed) {
        int f = NAMES.size();
        double[] sum = new double[f], squares = new double[f];
        int[] shown = new int[f];
        for (int i = 0; i < REFERENCE_FACES; i++) {
            double[] v = raw(SyntheticFaces.recipe(seed, i));
            for (int k = 0; k < f; k++) {
                if (Double.isNaN(v[k])) continue;
                sum[k] += v[k];
                squares[k] += v[k] * v[k];
                shown[k]++;
            }
        }
        for (int k = 0; k < f; k++) {
            mean[k] = sum[k] / shown[k];
            sd[k] = Math.sqrt(Math.max(squares[k] / shown[k] - mean[k] * mean[k], 0));
        }
    }

    /** Standardised factors of one face, NaN where it does not show them. */
    float[] factors(FaceRecipe recipe) {
        double[] v = raw(recipe);
        float[] out = new float[v.length];
        for (int k = 0; k < v.length; k++) out[k] = (float) ((v[k] - mean[k]) / sd[k]);
        return out;
    }

    /** The factors in their own units, NaN where the face does not show them. */
    static double[] raw(FaceRecipe f) {
        boolean hair = !f.bald(), longHair = hair && !f.male();
        double strength = f.lightStrength();
        return new double[] {f.dx(), f.dy(), f.tilt(), f.scale(), f.yaw(),
                f.brightness(), f.contrast(), strength * Math.cos(f.lightAngle()), strength * Math.sin(f.lightAngle()),
                strength,
                red(f.skin()), green(f.skin()), blue(f.skin()),
                red(f.background()), green(f.background()), blue(f.background()),
                red(f.shirt()), green(f.shirt()), blue(f.shirt()),
                hair ? f.hairVolume() : Double.NaN, longHair ? f.hairLength() : Double.NaN};
    }

    private static double red(Color c) {
        return c.getRed() / 255.0;
    }

    private static double green(Color c) {
        return c.getGreen() / 255.0;
    }

    private static double blue(Color c) {
        return c.getBlue() / 255.0;
    }
}
