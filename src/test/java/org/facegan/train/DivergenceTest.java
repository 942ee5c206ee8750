package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.facegan.data.FaceDataset;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NaN loss stops training loudly and leaves the last good checkpoint as the latest. */
class DivergenceTest {
    @Test
    void nanLossStopsBeforeAnythingIsSaved(@TempDir Path tmp) {
        FaceDataset clean = Fixtures.noiseFaces(16, 32, 2);
        RunDirectory run = new RunDirectory(tmp.resolve("run"));
        TrainOptions two = ResumeTest.withCheckpointEvery(Fixtures.options("noise", Fixtures.TINY, 2, 1), 2);
        new Trainer(two, clean, run, (i, g, s, f) -> {}).train(TrainingListener.NONE);

        FaceDataset poisoned = Fixtures.poisonable(clean, () -> true); // one NaN pixel in every face from now on
        TrainOptions four = ResumeTest.withSteps(two, 4);
        assertThatThrownBy(() -> new Trainer(four, poisoned, run, (i, g, s, f) -> {}).train(TrainingListener.NONE))
                .isInstanceOf(DivergedException.class).hasMessageContaining("D loss NaN")
                .hasMessageContaining("last good state");
        assertThat(run.checkpoints(3).latest().orElseThrow().step()).isEqualTo(2);
    }
}
