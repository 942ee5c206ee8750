package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;

class CollapseDetectorTest {
    private static StepStats row(long step, double dReal, double dFake) {
        return new StepStats(step, 1000, 0.1, 5, 0.5, dReal, dFake, 100, 0, 1, 0, 0, 0, 0.2, null);
    }

    @Test
    void dWinningOutrightForPatienceRowsIsACollapseStartingAtTheStreak() {
        CollapseDetector detector = new CollapseDetector(3);
        assertThat(detector.observe(row(10, 0.99, 0.01), 10)).isEmpty();
        assertThat(detector.observe(row(20, 0.6, 0.3), 10)).isEmpty();     // breaks the streak
        assertThat(detector.observe(row(30, 0.99, 0.01), 10)).isEmpty();
        assertThat(detector.observe(row(40, 0.995, 0.005), 10)).isEmpty();
        var collapsed = detector.observe(row(50, 0.99, 0.02), 10);
        assertThat(collapsed).isPresent();
        assertThat(collapsed.get().lastGoodStep()).isEqualTo(20);
        assertThat(collapsed.get().stepReached()).isEqualTo(50);
        assertThat(collapsed.get()).hasMessageContaining("collapsed").hasMessageContaining("since step 20");
    }

    @Test
    void aGameThatStaysOpenNeverCollapses() {
        CollapseDetector detector = new CollapseDetector(2);
        for (int step = 10; step <= 1000; step += 10) {
            // D confident on real faces, or on fakes, but never both at once
            assertThat(detector.observe(row(step, step % 20 == 0 ? 0.99 : 0.7, step % 20 == 0 ? 0.1 : 0.01), 10)).isEmpty();
        }
    }

    @Test
    void patienceZeroTurnsTheCheckOff() {
        CollapseDetector detector = new CollapseDetector(0);
        for (int step = 10; step <= 100; step += 10) assertThat(detector.observe(row(step, 1, 0), 10)).isEmpty();
        assertThatThrownBy(() -> new CollapseDetector(-1)).hasMessageContaining("--collapse-patience");
    }

    @Test
    void aGridOfOneFaceIsACollapseAndAVariedGridIsNot() {
        int count = 16, pixels = 8 * 8 * 3;
        SplittableRandom random = new SplittableRandom(3);
        float[] face = new float[pixels];
        for (int p = 0; p < pixels; p++) face[p] = (float) random.nextDouble(-1, 1);
        float[] same = new float[count * pixels];
        float[] varied = new float[count * pixels];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < pixels; p++) {
                same[i * pixels + p] = face[p] + (float) random.nextDouble(-0.005, 0.005); // below a PNG level
                varied[i * pixels + p] = face[p] + (float) random.nextDouble(-0.2, 0.2);
            }
        }
        // values within ±0.005 of one face have a standard deviation of at most 0.005 (half their range) per pixel
        assertThat(CollapseDetector.spread(same, count)).isLessThan(CollapseDetector.SAME_FACE);
        CollapseDetector detector = new CollapseDetector(20);
        assertThat(detector.checkGrid(250, same, count)).as("a new G's flat face").isEmpty();
        assertThat(detector.checkGrid(500, varied, count)).isEmpty();
        var collapsed = detector.checkGrid(750, same, count);
        assertThat(collapsed).isPresent();
        assertThat(collapsed.get().lastGoodStep()).isEqualTo(500);
        assertThat(collapsed.get()).hasMessageContaining("step-750 sample grid are one face");
        // spread is the mean per-pixel standard deviation: two faces at ±d differ by 2d, their spread is d
        float[] pair = new float[2 * pixels];
        Arrays.fill(pair, 0, pixels, -0.25f);
        Arrays.fill(pair, pixels, 2 * pixels, 0.25f);
        // in double: each pixel's 0.25 from two squares, a difference and a root, then their mean over the pixels
        assertThat(CollapseDetector.spread(pair, 2)).isCloseTo(0.25,
                org.assertj.core.data.Offset.offset(Tolerance.reorderedSum64(4L * pixels, 0.25 * pixels) / pixels));
    }
}
