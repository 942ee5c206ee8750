package org.facegan.data;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * Everything drawn at random about one synthetic face: its attributes, colours, pose and lighting. A recipe
 * depends only on (seed, index), never on the image size, so a face rendered at 32 and at 64 px is the same
 * face. Coordinates are in face units: the canvas is 100 x 100, the head about 40 wide and 52 tall.
 *
 * <p>Attribute probabilities (each gives every attribute at least ~15% positives, so that conditioning can be
 * learned) and their correlations:
 * <pre>
 *   Male 0.5 · Young 0.62 · Smiling 0.5 · Eyeglasses 0.25 · Pale_Skin 0.2
 *   Bald        male 0.32, female 0.02          (bald: no hair colour flag)
 *   Mustache    male only, 0.42
 *   Lipstick    female 0.62, male 0.02
 *   hair colour blond / black / brown / red / gray; gray mostly when not young
 * </pre>
 */
record FaceRecipe(
        boolean male, boolean smiling, boolean eyeglasses, HairColor hairColor, boolean bald, boolean mustache,
        boolean young, boolean lipstick, boolean pale,
        Color skin, Color hair, Color iris, Color frame, Color shirt, Color background, Color background2,
        boolean sideTufts, double hairVolume, double hairLength, double part, double jaw,
        double dx, double dy, double tilt, double scale, double yaw,
        double brightness, double contrast, double lightAngle, double lightStrength) {

    /** Hair colours; only blond and black are attributes. */
    enum HairColor { BLOND, BLACK, BROWN, RED, GRAY }

    /** The 10 attributes as 0/1, in {@link SyntheticFaces#ATTRIBUTES} order. */
    float[] attributes() {
        boolean[] flags = {male, smiling, eyeglasses, hairColor == HairColor.BLOND, hairColor == HairColor.BLACK,
                bald, mustache, young, lipstick, pale};
        float[] out = new float[flags.length];
        for (int i = 0; i < flags.length; i++) out[i] = flags[i] ? 1f : 0f;
        return out;
    }

    /** Draws a recipe; the draws happen in a fixed order so the result depends only on {@code random}'s seed. */
    static FaceRecipe sample(SplittableRandom r) {
        // attributes and their correlations
        boolean male = r.nextDouble() < 0.5;
        boolean young = r.nextDouble() < 0.62;
        boolean smiling = r.nextDouble() < 0.5;
        boolean eyeglasses = r.nextDouble() < 0.25;
        boolean pale = r.nextDouble() < 0.2;
        boolean bald = r.nextDouble() < (male ? 0.32 : 0.02);
        boolean mustache = male && r.nextDouble() < 0.42;
        boolean lipstick = r.nextDouble() < (male ? 0.02 : 0.62);
        HairColor hairColor = bald ? (r.nextDouble() < (young ? 0.5 : 0.25) ? HairColor.BROWN : HairColor.GRAY)
                : hairColor(r, male, young);
        boolean sideTufts = bald && r.nextDouble() < 0.6;

        // colours
        Color skin = pale ? paleSkin(r) : normalSkin(r, young);
        Color hair = hairRgb(r, hairColor);
        Color iris = pick(r, new Color(70, 45, 25), new Color(60, 100, 150), new Color(70, 110, 60), new Color(35, 25, 20));
        Color frame = pick(r, new Color(15, 15, 18), new Color(45, 28, 18), new Color(20, 25, 55), new Color(40, 40, 40));
        Color shirt = Color.getHSBColor((float) r.nextDouble(), (float) r.nextDouble(0.2, 0.8), (float) r.nextDouble(0.25, 0.9));
        Color background = Color.getHSBColor((float) r.nextDouble(), (float) r.nextDouble(0.05, 0.6), (float) r.nextDouble(0.35, 0.97));
        Color background2 = r.nextDouble() < 0.5 ? background : jitter(r, background, 60);

        // shape and pose
        double hairVolume = r.nextDouble(0.0, 1.0);
        double hairLength = r.nextDouble(0.0, 1.0);
        double part = r.nextDouble(-1, 1);
        double jaw = r.nextDouble(0.0, 1.0);
        double dx = r.nextDouble(-3.5, 3.5), dy = r.nextDouble(-2.5, 2.5);
        double tilt = Math.toRadians(r.nextDouble(-8, 8));
        double scale = r.nextDouble(0.87, 1.13);
        double yaw = r.nextDouble(-1, 1);

        // lighting
        double brightness = r.nextDouble(0.9, 1.08);
        double contrast = r.nextDouble(0.85, 1.1);
        double lightAngle = r.nextDouble(0, 2 * Math.PI);
        double lightStrength = r.nextDouble(0, 0.25);
        return new FaceRecipe(male, smiling, eyeglasses, hairColor, bald, mustache, young, lipstick, pale,
                skin, hair, iris, frame, shirt, background, background2, sideTufts, hairVolume, hairLength, part,
                jaw, dx, dy, tilt, scale, yaw, brightness, contrast, lightAngle, lightStrength);
    }

    private static HairColor hairColor(SplittableRandom r, boolean male, boolean young) {
        double u = r.nextDouble();
        double blond = male ? 0.16 : 0.3;
        double black = 0.3;
        double gray = young ? 0.03 : 0.4;
        if (u < blond) return HairColor.BLOND;
        if (u < blond + black) return HairColor.BLACK;
        if (u < blond + black + gray) return HairColor.GRAY;
        return r.nextDouble() < 0.75 ? HairColor.BROWN : HairColor.RED;
    }

    private static Color hairRgb(SplittableRandom r, HairColor c) {
        return switch (c) {
            case BLOND -> mix(new Color(245, 215, 110), new Color(215, 175, 75), r.nextDouble());
            case BLACK -> mix(new Color(18, 16, 16), new Color(38, 30, 28), r.nextDouble());
            case BROWN -> mix(new Color(120, 78, 40), new Color(80, 50, 28), r.nextDouble());
            case RED -> mix(new Color(175, 80, 35), new Color(140, 55, 25), r.nextDouble());
            case GRAY -> {
                int v = (int) r.nextDouble(165, 225);
                yield new Color(v, v, v - 4);
            }
        };
    }

    private static Color normalSkin(SplittableRandom r, boolean young) {
        Color c = mix(new Color(228, 182, 150), new Color(125, 84, 58), r.nextDouble());
        c = jitter(r, c, 8);
        return young ? c : mix(c, new Color(c.getGreen(), c.getGreen(), c.getGreen()), 0.15);
    }

    private static Color paleSkin(SplittableRandom r) {
        return jitter(r, new Color(252, 236, 226), 4);
    }

    static Color mix(Color a, Color b, double t) {
        return new Color(
                clamp(a.getRed() + (b.getRed() - a.getRed()) * t),
                clamp(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                clamp(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    static Color scale(Color c, double f) {
        return new Color(clamp(c.getRed() * f), clamp(c.getGreen() * f), clamp(c.getBlue() * f));
    }

    private static Color jitter(SplittableRandom r, Color c, int amount) {
        return new Color(
                clamp(c.getRed() + r.nextDouble(-amount, amount)),
                clamp(c.getGreen() + r.nextDouble(-amount, amount)),
                clamp(c.getBlue() + r.nextDouble(-amount, amount)));
    }

    private static Color pick(SplittableRandom r, Color... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
