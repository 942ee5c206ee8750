package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.facegan.data.FaceDataset;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** A step's draws depend on (seed, step) only: what a resumed run needs to continue the same data and noise. */
class StepDrawsTest {
    static final FaceDataset DATA = Fixtures.noiseFaces(30, 32, 3);

    @Test
    void drawsOfAStepDoNotDependOnWhatWasDrawnBefore() {
        StepDraws fresh = draws(7), used = draws(7);
        StepDraws.Batch scratch = used.newBatch();
        for (long step = 0; step < 12; step++) used.fill(step, scratch); // crosses epochs of 30 images at batch 8
        for (long step : new long[] {3, 11, 4}) {
            StepDraws.Batch a = fresh.newBatch(), b = used.newBatch();
            fresh.fill(step, a);
            used.fill(step, b);
            assertThat(b.images).containsExactly(a.images);
            assertThat(b.realY).containsExactly(a.realY);
            assertThat(b.fakeZ).containsExactly(a.fakeZ);
            assertThat(b.genY).containsExactly(a.genY);
        }
    }

    @Test
    void stepsAndSeedsDrawDifferently() {
        StepDraws.Batch a = draws(7).newBatch(), b = draws(7).newBatch(), c = draws(8).newBatch();
        draws(7).fill(0, a);
        draws(7).fill(1, b);
        draws(8).fill(0, c);
        assertThat(b.fakeZ).isNotEqualTo(a.fakeZ);
        assertThat(c.fakeZ).isNotEqualTo(a.fakeZ);
        assertThat(b.images).isNotEqualTo(a.images);
    }

    /** --mode-seeking's pairs: the second half of G's y's (or the D phase's, when G reuses its batch) repeats the first. */
    @Test
    void pairedDrawsRepeatTheFirstHalfsYAndChangeNothingElse() {
        int yDim = DATA.attributeNames().size();
        StepDraws.Batch plain = draws(7).newBatch();
        draws(7).fill(5, plain);
        for (StepDraws.Pairs pairs : new StepDraws.Pairs[] {StepDraws.Pairs.GENERATOR, StepDraws.Pairs.FAKE}) {
            StepDraws paired = new StepDraws(DATA, YSampler.of(YSampler.EMPIRICAL, DATA, 7), 8, 16, 7, pairs);
            StepDraws.Batch b = paired.newBatch();
            paired.fill(5, b);
            float[] y = pairs == StepDraws.Pairs.GENERATOR ? b.genY : b.fakeY, other = pairs == StepDraws.Pairs.GENERATOR ? b.fakeY : b.genY;
            float[] yBefore = pairs == StepDraws.Pairs.GENERATOR ? plain.genY : plain.fakeY;
            assertThat(java.util.Arrays.copyOfRange(y, 4 * yDim, 8 * yDim)).as("%s: rows 4-7 repeat rows 0-3", pairs)
                    .containsExactly(java.util.Arrays.copyOfRange(y, 0, 4 * yDim));
            assertThat(java.util.Arrays.copyOfRange(y, 0, 4 * yDim)).containsExactly(java.util.Arrays.copyOfRange(yBefore, 0, 4 * yDim));
            assertThat(other).containsExactly(pairs == StepDraws.Pairs.GENERATOR ? plain.fakeY : plain.genY);
            assertThat(b.genZ).as("the z's are drawn as before").containsExactly(plain.genZ);
            assertThat(b.images).containsExactly(plain.images);
        }
    }

    private static StepDraws draws(long seed) {
        return new StepDraws(DATA, YSampler.of(YSampler.EMPIRICAL, DATA, seed), 8, 16, seed);
    }
}
