package org.facegan.train;

import java.nio.file.Path;

/** What the trainer tells its caller (the CLI's progress bar, tests). All methods are optional. */
public interface TrainingListener {
    /** Training starts (or resumes) at {@code startStep} of {@code totalSteps}. */
    default void started(long startStep, long totalSteps, boolean resumed) {}

    /** After every step. */
    default void step(StepStats stats) {}

    default void sampled(long step, Path file) {}

    default void checkpointed(long step, Path dir) {}

    /** Training diverged and went back to its last good checkpoint with a lower learning rate. */
    default void rolledBack(TrainingState.Rollback rollback) {}

    TrainingListener NONE = new TrainingListener() {};
}
