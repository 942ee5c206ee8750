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

    @Option(names = "--checkpoint", paramLabel = "latest|best|STEP", defaultValue = "latest",
            description = "Which checkpoint of a run: the latest, the best (lowest Fréchet distance of train --eval-every), or the one of a step. Default: ${DEFAULT-VALUE}.")
    String checkpoint = "latest";

    /**
     * The checkpoint {@code --checkpoint} names.
     *
     * @throws IllegalArgumentException naming the option when there is no such checkpoint
     */
    Checkpoints.Checkpoint checkpoint(RunDirectory run) {
        Checkpoints all = run.checkpoints(Integer.MAX_VALUE);
        if (checkpoint.equals("latest")) {
            return all.latest().orElseThrow(() -> new IllegalArgumentException(
                    "--run " + dir + ": no complete checkpoint yet (train it first)"));
        }
        if (checkpoint.equals("best")) {
            return all.best().map(Checkpoints.Best::checkpoint).orElseThrow(() -> new IllegalArgumentException(
                    "--checkpoint best: " + dir + " has no best checkpoint (train it with --eval-every N)"));
        }
        if (!checkpoint.matches("\\d{1,12}")) {
            throw new IllegalArgumentException("--checkpoint must be latest, best or a step number, found " + checkpoint);
        }
        long step = Long.parseLong(checkpoint);
        return all.list().stream().filter(c -> c.step() == step).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "--checkpoint " + step + ": " + dir + " has checkpoints at steps "
                        + all.list().stream().map(c -> Long.toString(c.step())).toList()));
    }
}
