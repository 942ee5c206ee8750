package org.facegan.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
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
        assertThat(Slerp.interpolate(a, b, 0)).containsExactly(a, within(1e-5f));
        assertThat(Slerp.interpolate(a, b, 1)).containsExactly(b, within(1e-5f));
    }

    @Test
    void keepsTheNormOfEqualNormEndPoints() {
        SplittableRandom random = new SplittableRandom(4);
        float[] a = scaledTo(gaussian(random, 100), 10), b = scaledTo(gaussian(random, 100), 10);
        for (double t = 0; t <= 1.0001; t += 0.05) {
            assertThat(Slerp.norm(Slerp.interpolate(a, b, t))).as("t = %s", t).isCloseTo(10, within(1e-4));
        }
        // the straight line sags towards the origin: what slerp avoids
        float[] mid = new float[100];
        for (int i = 0; i < 100; i++) mid[i] = (a[i] + b[i]) / 2;
        assertThat(Slerp.norm(mid)).isLessThan(9);
    }

    @Test
    void movesAtConstantAngularSpeed() {
        float[] a = {1, 0}, b = {0, 1};
        float[] quarter = Slerp.interpolate(a, b, 1.0 / 3);
        assertThat(Math.atan2(quarter[1], quarter[0])).isCloseTo(Math.PI / 6, within(1e-6));
    }

    @Test
    void loopStartsAtTheFirstKeyAndPassesEveryKey() {
        SplittableRandom random = new SplittableRandom(5);
        float[][] keys = {gaussian(random, 8), gaussian(random, 8), gaussian(random, 8)};
        float[][] path = Slerp.loop(keys, 12);
        assertThat(path).hasNumberOfRows(12);
        assertThat(path[0]).containsExactly(keys[0], within(1e-5f));
        assertThat(path[4]).containsExactly(keys[1], within(1e-5f));
        assertThat(path[8]).containsExactly(keys[2], within(1e-5f));
        // the step from the last frame back to the first is as short as the others: no seam
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
