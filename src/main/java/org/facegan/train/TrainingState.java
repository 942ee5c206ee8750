package org.facegan.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.facegan.io.AtomicFiles;

/**
 * {@code training_state.json}: what a run's history has changed about how it trains, kept across processes. Today
 * that is the learning-rate scale left by {@code --on-divergence rollback} and the record of each rollback.
 *
 * @param learningRateScale multiplies --lr (1 until a rollback lowers it)
 */
public record TrainingState(double learningRateScale, List<Rollback> rollbacks) {
    public static final String FILE = "training_state.json";

    /**
     * One rollback: training diverged at {@code divergedAt}, went back to the checkpoint of {@code resumedFrom}
     * (0: the initial weights) and went on with learning rate {@code learningRate}.
     */
    public record Rollback(long divergedAt, long resumedFrom, double learningRate, String reason) {}

    public static final TrainingState INITIAL = new TrainingState(1, List.of());

    public TrainingState {
        rollbacks = rollbacks == null ? List.of() : List.copyOf(rollbacks);
    }

    public TrainingState after(Rollback rollback, double newScale) {
        List<Rollback> all = new ArrayList<>(rollbacks);
        all.add(rollback);
        return new TrainingState(newScale, all);
    }

    public static TrainingState read(Path runRoot) {
        Path file = runRoot.resolve(FILE);
        if (!Files.exists(file)) return INITIAL;
        try {
            return RunDirectory.JSON.readValue(file.toFile(), TrainingState.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is unreadable: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    public void write(Path runRoot) {
        try {
            AtomicFiles.write(runRoot.resolve(FILE), RunDirectory.JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runRoot.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }
}
