package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One trainer per run: a second one is refused with the holder's PID; a dead holder's lock file is taken over. */
class RunLockTest {
    @Test
    void secondTrainerIsRefusedNamingTheHolder(@TempDir Path tmp) {
        RunDirectory run = new RunDirectory(tmp.resolve("run"));
        TrainOptions options = Fixtures.options("noise", Fixtures.TINY, 1, 1);
        var data = Fixtures.noiseFaces(16, 32, 2);
        try (RunLock held = RunLock.acquire(run.root())) {
            assertThatThrownBy(() -> new Trainer(options, data, run, (i, g, s, f) -> {}).train(TrainingListener.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("in use by facegan process " + ProcessHandle.current().pid());
            assertThat(run.configFile()).doesNotExist(); // refused before touching the run
        }
        assertThat(new Trainer(options, data, run, (i, g, s, f) -> {}).train(TrainingListener.NONE).step()).isEqualTo(1);
    }

    @Test
    void lockFileOfADeadProcessIsTakenOver(@TempDir Path tmp) throws Exception {
        Path runDir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(runDir.resolve(RunLock.FILE), "999999999"); // written by a process killed with -9
        try (RunLock lock = RunLock.acquire(runDir)) {
            assertThat(Files.readString(runDir.resolve(RunLock.FILE))).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }
}
