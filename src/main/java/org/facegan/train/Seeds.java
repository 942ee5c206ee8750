package org.facegan.train;

/** Derives independent seeds from the run's root seed, so every random stream is reproducible by name. */
public final class Seeds {
    private Seeds() {}

    /** A well-mixed 64-bit seed for (root, stream, index), via SplitMix64's finaliser. */
    public static long derive(long root, long stream, long index) {
        return mix(mix(mix(root) ^ stream) ^ index);
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
