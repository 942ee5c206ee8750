package org.facegan.latent;

/**
 * Moving a face's latent code: along an attribute vector in z, along an attribute's axis in y, and latent
 * arithmetic (analogies). Pure functions on float arrays; each returns a new array.
 */
public final class LatentEdits {
    private LatentEdits() {}

    /**
     * z + sign * strength * v: strength 1 moves z by the whole difference of means (from the average face
     * without the attribute to the average face with it); sign +1 adds the attribute, -1 removes it.
     */
    public static float[] alongZ(float[] z, float[] vector, int sign, float strength) {
        if (z.length != vector.length) {
            throw new IllegalArgumentException("z has " + z.length + " values, the attribute vector " + vector.length);
        }
        float[] out = z.clone();
        for (int j = 0; j < out.length; j++) out[j] += sign * strength * vector[j];
        return out;
    }

    /**
     * y with attribute k set to strength (adding it) or to 1 - strength (removing it): strength 1 makes it fully
     * present or fully absent, larger values extrapolate past what training showed.
     */
    public static float[] alongY(float[] y, int k, int sign, float strength) {
        float[] out = y.clone();
        out[k] = sign > 0 ? strength : 1f - strength;
        return out;
    }

    /** a - b + c, element by element ("man with glasses" - "man" + "woman"). */
    public static float[] analogy(float[] a, float[] b, float[] c) {
        if (a.length != b.length || a.length != c.length) {
            throw new IllegalArgumentException("analogy needs vectors of one length, found " + a.length + ", "
                    + b.length + ", " + c.length);
        }
        float[] out = new float[a.length];
        for (int j = 0; j < out.length; j++) out[j] = a[j] - b[j] + c[j];
        return out;
    }
}
