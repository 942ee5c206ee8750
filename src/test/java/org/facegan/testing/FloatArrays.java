package org.facegan.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on float arrays that two computations of the same numbers produced. */
public final class FloatArrays {
    private FloatArrays() {}

    /**
     * {@code actual} is {@code expected} up to the drift of computing it with its largest sums ({@code terms} terms)
     * in another order: {@link Tolerance#reorderedComputation(long)}, relative to 1 + the largest |expected| value.
     */
    public static void assertCloseAfterReordering(String name, float[] expected, float[] actual, long terms) {
        assertThat(actual).as(name).hasSameSizeAs(expected);
        double scale = 1, worst = 0;
        for (float v : expected) scale = Math.max(scale, 1 + Math.abs(v));
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertThat(worst).as(name + ": largest difference").isLessThanOrEqualTo(Tolerance.reorderedComputation(terms) * scale);
    }
}
