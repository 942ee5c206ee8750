package org.facegan.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FactorShiftTest {
    private static final int N = 4000;

    /** Readings [N, 2]: factor a ~ N(meanA, sdA), factor b ~ N(0, 1). */
    private static float[] readings(SplittableRandom random, double meanA, double sdA) {
        float[] out = new float[N * 2];
        for (int i = 0; i < N; i++) {
            out[2 * i] = (float) (meanA + sdA * random.nextGaussian());
            out[2 * i + 1] = (float) random.nextGaussian();
        }
        return out;
    }

    @Test
    void aShiftedAndNarrowedFactorIsMeasuredInTheRealSpread() {
        SplittableRandom random = new SplittableRandom(3);
        float[] heldOut = readings(random, 1, 2), other = readings(random, 1, 2);
        float[] model = readings(random, 2, 1); // a: shifted by half a real sd, half as spread; b: as real
        List<FactorShift> shifts = FactorShift.between(List.of("a", "b"), heldOut, model, other, N);

        FactorShift a = shifts.get(0), b = shifts.get(1);
        assertThat(a.factor()).isEqualTo("a");
        assertThat(a.realSd()).isCloseTo(2, offset(0.1));
        assertThat(a.shift()).isCloseTo(0.5, offset(0.05));
        assertThat(a.spread()).isCloseTo(0.5, offset(0.05));
        // W1 between N(μ, σ²) and N(μ + δ, (σ/2)²) in units of σ: E|X - Y| under the quantile coupling, about 0.59
        assertThat(a.wasserstein()).isBetween(0.5, 0.7);
        // sampling alone: two real sets of 4000 are a few hundredths of an sd apart; so is the unchanged factor
        assertThat(a.floor()).isLessThan(0.06);
        assertThat(b.shift()).isCloseTo(0, offset(0.06));
        assertThat(b.spread()).isCloseTo(1, offset(0.05));
        assertThat(b.wasserstein()).isLessThan(0.06);
    }

    @Test
    void identicalReadingsAreNoDistanceAndWrongSizesAreRefused() {
        float[] same = readings(new SplittableRandom(1), 0, 1);
        FactorShift a = FactorShift.between(List.of("a", "b"), same, same, same, N).get(0);
        assertThat(a.shift()).isZero();
        assertThat(a.spread()).isEqualTo(1);
        assertThat(a.wasserstein()).isZero();
        assertThatThrownBy(() -> FactorShift.between(List.of("a", "b"), same, new float[3], same, N))
                .hasMessage("expected 4000 × 2 readings, found 3");
    }
}
