package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.facegan.data.FaceDataset;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --on-divergence rollback}: back to the last good checkpoint with a lower learning rate, at most N times. */
class RollbackTest {
    private static final DivergencePolicy ROLLBACK_TWICE = new DivergencePolicy(DivergencePolicy.Action.ROLLBACK,
            DivergencePolicy.DEFAULT_COLLAPSE_PATIENCE, 2, 0.5f);

    @Test
    void aDivergenceRollsBackToTheLastGoodCheckpointWithHalfTheLearningRateAndFinishes(@TempDir Path tmp) throws Exception {
        FaceDataset clean = Fixtures.noiseFaces(16, 32, 2);
        RunDirectory run = new RunDirectory(tmp.resolve("run"));
        TrainOptions two = ResumeTest.withCheckpointEvery(Fixtures.options("noise", Fixtures.TINY, 2, 1), 2);
        new Trainer(two, clean, run, (i, g, s, f) -> {}).train(TrainingListener.NONE);

        AtomicBoolean poisoned = new AtomicBoolean(true);
        List<TrainingState.Rollback> seen = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override public void rolledBack(TrainingState.Rollback r) {
                seen.add(r);
                poisoned.set(false); // the bad batch was a one-off
            }
        };
        TrainOptions six = ResumeTest.withSteps(two, 6);
        var last = new Trainer(six, Fixtures.poisonable(clean, poisoned::get), run, (i, g, s, f) -> {}, new Trainer.Runtime(ROLLBACK_TWICE, null, null, 0)).train(listener);

        assertThat(last.step()).isEqualTo(6);
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).divergedAt()).isEqualTo(3);
        assertThat(seen.get(0).resumedFrom()).isEqualTo(2);
        assertThat(seen.get(0).learningRate()).isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(seen.get(0).reason()).contains("D loss NaN");
        TrainingState state = TrainingState.read(run.root());
        assertThat(state.learningRateScale()).isEqualTo(0.5);
        assertThat(state.rollbacks()).containsExactlyElementsOf(seen);
        List<String> steps = Files.readAllLines(run.metricsFile()).stream().skip(1).map(l -> l.split(",")[0]).toList();
        assertThat(steps).containsExactly("2", "6"); // one row per logging interval, none twice
    }

    @Test
    void aRunThatKeepsDivergingGivesUpAfterMaxRollbacksKeepingTheLastGoodCheckpoint(@TempDir Path tmp) {
        FaceDataset clean = Fixtures.noiseFaces(16, 32, 2);
        RunDirectory run = new RunDirectory(tmp.resolve("run"));
        TrainOptions two = ResumeTest.withCheckpointEvery(Fixtures.options("noise", Fixtures.TINY, 2, 1), 2);
        new Trainer(two, clean, run, (i, g, s, f) -> {}).train(TrainingListener.NONE);

        FaceDataset alwaysBad = Fixtures.poisonable(clean, () -> true);
        Trainer trainer = new Trainer(ResumeTest.withSteps(two, 6), alwaysBad, run, (i, g, s, f) -> {}, new Trainer.Runtime(ROLLBACK_TWICE, null, null, 0));
        assertThatThrownBy(() -> trainer.train(TrainingListener.NONE))
                .isInstanceOf(DivergedException.class)
                .hasMessageContaining("gave up after 2 rollbacks")
                .hasMessageContaining("last good state");
        assertThat(TrainingState.read(run.root()).learningRateScale()).isEqualTo(0.25);
        assertThat(run.checkpoints(3).latest().orElseThrow().step()).isEqualTo(2);
    }
}
