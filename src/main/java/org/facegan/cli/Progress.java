package org.facegan.cli;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr. On a terminal they redraw in place; without one (CI logs, pipes) nothing is drawn and
 * long jobs print their own periodic lines instead.
 */
final class Progress {
    private Progress() {}

    /** Whether stderr is an interactive terminal. */
    static boolean interactive() {
        return System.console() != null && System.getenv("FACEGAN_NO_PROGRESS") == null;
    }

    /**
     * A bar counting {@code unit}s from {@code start} to {@code max} (-1: unknown, an indefinite bar); silent when
     * not interactive.
     */
    static Bar bar(String unit, String task, long max, long start) {
        return new Bar(task, unit, max, start);
    }

    /** A progress bar, or nothing where there is no terminal. */
    static final class Bar implements AutoCloseable {
        private final ProgressBar bar;

        private Bar(String task, String unit, long max, long start) {
            if (!interactive()) {
                bar = null;
                return;
            }
            ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(" " + unit, 1)
                    .showSpeed().setMaxRenderedLength(160);
            if (start > 0) b.startsFrom(start, Duration.ZERO);
            bar = b.build();
        }

        void stepTo(long n) {
            if (bar != null) bar.stepTo(n);
        }

        void extra(String message) {
            if (bar != null) bar.setExtraMessage(message);
        }

        @Override
        public void close() {
            if (bar != null) bar.close();
        }
    }
}
