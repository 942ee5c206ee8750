package org.facegan.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.facegan.train.StepStats;
import org.facegan.train.TrainingListener;
import org.facegan.train.TrainingState;

/**
 * The training progress bar (step, D/G/E loss, D(real), D(fake), img/s, ETA); without a terminal, one fixed-format
 * line every {@link #LINE_EVERY} steps instead.
 */
final class TrainProgress implements TrainingListener, AutoCloseable {
    static final int LINE_EVERY = 100;

    private Progress.Bar bar;
    private long totalSteps;

    @Override
    public void started(long startStep, long totalSteps, boolean resumed) {
        this.totalSteps = totalSteps;
        if (resumed) System.err.printf("resuming at step %d of %d%n", startStep, totalSteps);
        if (startStep < totalSteps) bar = Progress.bar("steps", "train", totalSteps, startStep);
    }

    @Override
    public void step(StepStats s) {
        String line = String.format(Locale.ROOT, "D %.3f G %.3f E %.3f D(real) %.2f D(fake) %.2f %.0f img/s wait %.1f%%",
                s.dLoss(), s.gLoss(), s.eLoss(), s.dReal(), s.dFake(), s.imagesPerSecond(), 100 * s.inputWait());
        if (Progress.interactive()) {
            bar.extra(" | " + line);
            bar.stepTo(s.step());
        } else if (s.step() % LINE_EVERY == 0 || s.step() == totalSteps) {
            System.err.printf(Locale.ROOT, "step %6d/%d  %s  %.0fs%n", s.step(), totalSteps, line, s.elapsedSeconds());
        }
    }

    @Override
    public void sampled(long step, Path file) {
        if (!Progress.interactive()) System.err.println("samples: " + file);
    }

    @Override
    public void rolledBack(TrainingState.Rollback r) {
        if (bar != null) bar.close();
        bar = null;
        System.err.printf(Locale.ROOT, "%s%nrolling back to step %d with learning rate %.3g%n", r.reason(),
                r.resumedFrom(), r.learningRate());
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
