package org.facegan.latent;

/**
 * Spherical linear interpolation (Shoemake 1985) between latent vectors, as White (2016, "Sampling generative
 * networks") recommends for Gaussian z: a straight line between two draws passes through the low-norm middle
 * of the distribution, which G never saw; the great-circle arc keeps the norm of equal-norm endpoints.
 */
public final class Slerp {
    /** Below this angle (radians) the arc is a line to float precision: interpolate linearly. */
    private static final double MIN_ANGLE = 1e-6;

    private Slerp() {}

    /**
     * The point a fraction t along the arc from a to b: a at t = 0, b at t = 1. Endpoints of unequal norm
     * give a path whose norm varies smoothly between the two; exactly opposite vectors have no unique arc and
     * are refused.
     *
     * @param a start, any non-zero vector
     * @param b end, the same length as a
     * @param t fraction of the way, usually in [0, 1]
     */
    public static float[] interpolate(float[] a, float[] b, double t) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("slerp needs vectors of one length, found " + a.length + " and " + b.length);
        }
        double na = norm(a), nb = norm(b);
        if (na == 0 || nb == 0) throw new IllegalArgumentException("slerp needs non-zero vectors");
        double dot = 0;
        for (int i = 0; i < a.length; i++) dot += a[i] * (double) b[i];
        double cos = Math.max(-1, Math.min(1, dot / (na * nb)));
        double omega = Math.acos(cos);
        if (Math.PI - omega < MIN_ANGLE) throw new IllegalArgumentException("slerp between opposite vectors is undefined");
        double wa, wb;
        if (omega < MIN_ANGLE) {
            wa = 1 - t;
            wb = t;
        } else {
            double sin = Math.sin(omega);
            wa = Math.sin((1 - t) * omega) / sin;
            wb = Math.sin(t * omega) / sin;
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) (wa * a[i] + wb * b[i]);
        return out;
    }

    /**
     * A closed tour through the key vectors: {@code frames} points, evenly spaced in time, with key k at frame
     * k * frames / keys and the last frame leading back to key 0, so an animation of them loops without a seam.
     *
     * @param keys K >= 2 vectors of one length, visited in order
     * @param frames points on the tour, at least K
     * @return frames vectors
     */
    public static float[][] loop(float[][] keys, int frames) {
        if (keys.length < 2) throw new IllegalArgumentException("a walk needs at least 2 key vectors, found " + keys.length);
        if (frames < keys.length) {
            throw new IllegalArgumentException("a walk through " + keys.length + " keys needs at least "
                    + keys.length + " frames, found " + frames);
        }
        float[][] out = new float[frames][];
        for (int f = 0; f < frames; f++) {
            double position = (double) f * keys.length / frames;  // in [0, K)
            int k = (int) Math.floor(position);
            out[f] = interpolate(keys[k], keys[(k + 1) % keys.length], position - k);
        }
        return out;
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += x * (double) x;
        return Math.sqrt(s);
    }
}
