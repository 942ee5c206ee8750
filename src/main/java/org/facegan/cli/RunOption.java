package org.facegan.cli;

import java.nio.file.Path;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;
import picocli.CommandLine.Option;

/** The {@code --run DIR} option of commands that read a trained run. */
final class RunOption {
    @Option(names = "--run", paramLabel = "DIR", required = true, description = "Run directory (runs/NAME).")
    Path dir;

    /** The run, checked to exist. */
    RunDirectory open() {
        RunDirectory run = new RunDirectory(dir);
        if (!run.exists()) {
            throw new IllegalArgumentException("--run " + dir + ": not a run directory (no config.json)");
        }
        return run;
    }

    Checkpoints.Checkpoint latestCheckpoint(RunDirectory run) {
        return run.checkpoints(Integer.MAX_VALUE).latest().orElseThrow(() -> new IllegalArgumentException(
                "--run " + dir + ": no complete checkpoint yet (train it first)"));
    }
}
