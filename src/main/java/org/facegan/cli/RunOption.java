package org.facegan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;
import picocli.CommandLine.Option;

/** The {@code --run DIR} option of commands that read a trained run. */
final class RunOption {
    @Option(names = "--run", paramLabel = "DIR", required = true, description = "Run directory (runs/NAME)"
            + " or, for the latent-space commands, an exported bundle (export/NAME/VERSION).")
    Path dir;

    /** The run, checked to exist. */
    RunDirectory open() {
        RunDirectory run = new RunDirectory(dir);
        if (!run.exists()) {
            throw new IllegalArgumentException("--run " + dir + (isBundle(dir)
                    ? ": an exported bundle, not a run directory; this command needs the run"
                    : ": neither a run directory (no config.json) nor an exported bundle (no saved_model.pb)"));
        }
        return run;
    }

    /** Whether {@code dir} is an exported SavedModel version directory (holds saved_model.pb). */
    static boolean isBundle(Path dir) {
        return Files.isRegularFile(dir.resolve("saved_model.pb"));
    }

    Checkpoints.Checkpoint latestCheckpoint(RunDirectory run) {
        return run.checkpoints(Integer.MAX_VALUE).latest().orElseThrow(() -> new IllegalArgumentException(
                "--run " + dir + ": no complete checkpoint yet (train it first)"));
    }
}
