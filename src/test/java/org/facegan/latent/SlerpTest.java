package org.facegan.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;

class SlerpTest {
    static float[] gaussian(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return v;
    }

    static float[] scaledTo(float[] v, double norm) {
        float[] out = v.clone();
        double s = norm / Slerp.norm(v);
        for (int i = 0; i < out.length; i++) out[i] *= (float) s;
        return out;
    }

    @Test
    void hitsItsEndPoints() {
        SplittableRandom random = new SplittableRandom(3);
        float[] a = gaussian(random, 100), b = gaussian(random, 100);
        assertThat(Slerp.interpolate(a, b, 0)).containsExactly(a, within(endPoint(a, b)));
        assertThat(Slerp.interpolate(a, b, 1)).containsExactly(b, within(endPoint(a, b)));
    }

    /**
     * At t = 0 or 1 the weights are sin(ω)/sin(ω) and sin(0)/sin(ω), 1 and 0 to a few 2^-53, and each component of
     * the point is rounded once to float32: within u of the larger of the two end points' components.
     */
    static float endPoint(float[] a, float[] b) {
        return (float) (Tolerance.FLOAT32 * (largest(a) + largest(b)));
    }

    static double largest(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    @Test
    void keepsTheNormOfEqualNormEndPoints() {
        SplittableRandom random = new SplittableRandom(4);
        float[] a = scaledTo(gaussian(random, 100), 10), b = scaledTo(gaussian(random, 100), 10);
        // a and b are 10 long to 2 float32 roundings of each component (the scale and the product); the arc mixes
        // them with weights that sum to cos((t − ½)ω)/cos(ω/2) ≤ 1/cos(ω/2), and each point is rounded once more
        double dot = 0;
        for (int i = 0; i < 100; i++) dot += a[i] * (double) b[i];
        double omega = Math.acos(dot / (Slerp.norm(a) * Slerp.norm(b)));
        double rounding = 10 * Tolerance.FLOAT32 * (2 / Math.cos(omega / 2) + 1);
        for (double t = 0; t <= 1.0001; t += 0.05) {
            assertThat(Slerp.norm(Slerp.interpolate(a, b, t))).as("t = %s", t).isCloseTo(10, within(rounding));
        }
        // the straight line sags towards the origin, what slerp avoids: its midpoint is 10·cos(ω/2) long, about 7.1
        // for two independent 100-dimensional draws (ω = 90° ± 6°: cos ω has standard deviation 1/√100); 9 would
        // take ω < 52°, over 6 standard deviations off
        float[] mid = new float[100];
        for (int i = 0; i < 100; i++) mid[i] = (a[i] + b[i]) / 2;
        assertThat(Slerp.norm(mid)).isLessThan(9);
    }

    @Test
    void movesAtConstantAngularSpeed() {
        float[] a = {1, 0}, b = {0, 1};
        float[] quarter = Slerp.interpolate(a, b, 1.0 / 3);
        // rounding (cos 30°, sin 30°) to float32 turns it by at most u·sin 60° < u; the double sines and atan2 add a
        // few 2^-53
        assertThat(Math.atan2(quarter[1], quarter[0])).isCloseTo(Math.PI / 6, within(Tolerance.FLOAT32 + 8 * Tolerance.FLOAT64));
    }

    @Test
    void loopStartsAtTheFirstKeyAndPassesEveryKey() {
        SplittableRandom random = new SplittableRandom(5);
        float[][] keys = {gaussian(random, 8), gaussian(random, 8), gaussian(random, 8)};
        float[][] path = Slerp.loop(keys, 12);
        assertThat(path).hasNumberOfRows(12);
        // key k is frame 4k, the start (t = 0) of the arc to key k + 1
        assertThat(path[0]).containsExactly(keys[0], within(endPoint(keys[0], keys[1])));
        assertThat(path[4]).containsExactly(keys[1], within(endPoint(keys[1], keys[2])));
        assertThat(path[8]).containsExactly(keys[2], within(endPoint(keys[2], keys[0])));
        // the step from the last frame back to the first is as short as the others: no seam. It is the last quarter
        // of the arc from key 2 to key 0, the first step the first quarter of the arc from key 0 to key 1, so their
        // ratio is about that of the two arcs (measured 0.88); a seam, the path stopping at key 2, would jump the
        // whole arc back, 4 quarters (measured 5.0 first steps)
        double last = distance(path[11], path[0]), first = distance(path[0], path[1]);
        assertThat(last).isLessThan(3 * first);
    }

    @Test
    void refusesMismatchedAndDegenerateInput() {
        assertThatThrownBy(() -> Slerp.interpolate(new float[2], new float[3], 0.5)).hasMessageContaining("one length");
        assertThatThrownBy(() -> Slerp.interpolate(new float[] {1, 0}, new float[] {-1, 0}, 0.5)).hasMessageContaining("opposite");
        assertThatThrownBy(() -> Slerp.loop(new float[][] {{1}}, 5)).hasMessageContaining("at least 2");
    }

    static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        return Math.sqrt(s);
    }
}
