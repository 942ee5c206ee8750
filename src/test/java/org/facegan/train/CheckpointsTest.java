package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.facegan.model.Sessions;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;

class CheckpointsTest {
    @Test
    void checkpointsAfterADivergenceAreSetAsideSoTheLastGoodOneIsTheLatest(@TempDir Path tmp) {
        TrainOptions options = Fixtures.options("noise", Fixtures.TINY, 2, 1);
        Checkpoints checkpoints = new Checkpoints(tmp.resolve("checkpoints"), 5);
        try (Graph graph = new Graph()) {
            new TrainingGraph(graph, options.toBuilder().seed(1).build(), 2);
            try (Session session = Sessions.open(graph, 1)) {
                for (long step : new long[] {2, 4, 6}) checkpoints.save(session, step);
                assertThat(checkpoints.setAsideAfter(3)).isEqualTo(2);
                assertThat(checkpoints.latest().orElseThrow().step()).isEqualTo(2);
                assertThat(tmp.resolve("checkpoints/diverged-step-00000004/model.index")).isRegularFile();
                assertThat(tmp.resolve("checkpoints/diverged-step-00000006/model.index")).isRegularFile();

                // training goes on from step 2, diverges again after step 4: the newer bad checkpoint replaces the old
                checkpoints.save(session, 4);
                assertThat(checkpoints.setAsideAfter(2)).isEqualTo(1);
                assertThat(checkpoints.list()).extracting(Checkpoints.Checkpoint::step).containsExactly(2L);
                assertThat(checkpoints.setAsideAfter(2)).isZero();
            }
        }
        assertThat(tmp.resolve("checkpoints").toFile().list()).containsExactlyInAnyOrder(
                "step-00000002", "diverged-step-00000004", "diverged-step-00000006");
    }
}
