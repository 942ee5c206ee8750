package org.facegan.train;

import java.util.Locale;
import java.util.Optional;

/**
 * Notices the two ways a GAN run dies without a NaN: D wins outright (D(real) ≈ 1 and D(fake) ≈ 0 for
 * {@code patience} metrics rows in a row, so G's gradient vanishes) and mode collapse (every face of the sample
 * grid, whatever its z and y, nearly the same image).
 */
public final class CollapseDetector {
    /** D(real) at least this and D(fake) at most 1 minus it count as D winning outright. */
    public static final double D_WINS = 0.98;
    /** Mean per-pixel standard deviation across the grid's faces (pixels in [-1, 1]) below which they are one face. */
    public static final double SAME_FACE = 0.01;

    private final int patience;
    private int streak;
    private long streakStart = -1;
    private long lastVariedGrid = -1;

    /** @param patience metrics rows in a row of D winning outright that count as a collapse; 0 turns that check off */
    public CollapseDetector(int patience) {
        if (patience < 0) throw new IllegalArgumentException("--collapse-patience must be 0 (off) or more, found " + patience);
        this.patience = patience;
    }

    /** Feeds one metrics row; the collapse, once {@code patience} rows in a row had D winning outright. */
    public Optional<DivergedException> observe(StepStats row, long rowSteps) {
        if (patience == 0) return Optional.empty();
        if (row.dReal() >= D_WINS && row.dFake() <= 1 - D_WINS) {
            if (streak++ == 0) streakStart = row.step() - rowSteps;
        } else {
            streak = 0;
        }
        if (streak < patience) return Optional.empty();
        return Optional.of(new DivergedException(String.format(Locale.ROOT,
                "training collapsed: D(real) >= %.2f and D(fake) <= %.2f for %d metrics rows since step %d (D wins, G "
                        + "gets no gradient)", D_WINS, 1 - D_WINS, streak, streakStart), streakStart, row.step()));
    }

    /**
     * Checks the sample grid of {@code step}, {@code count} faces NHWC in [-1, 1]: the collapse if they are all one
     * face after an earlier grid of this process was varied. (A newly initialised G draws one flat grey face whatever
     * z is; that is not a collapse.)
     */
    public Optional<DivergedException> checkGrid(long step, float[] faces, int count) {
        double spread = spread(faces, count);
        if (spread >= SAME_FACE || count < 2) {
            lastVariedGrid = step;
            return Optional.empty();
        }
        if (lastVariedGrid < 0) return Optional.empty();
        return Optional.of(new DivergedException(String.format(Locale.ROOT,
                "training collapsed: the %d faces of the step-%d sample grid are one face (pixel spread %.4f < %.2f, "
                        + "varied at step %d: G ignores z and y)", count, step, spread, SAME_FACE, lastVariedGrid),
                lastVariedGrid, step));
    }

    /** Mean over pixels of the standard deviation across the faces. */
    public static double spread(float[] faces, int count) {
        int pixels = faces.length / count;
        double total = 0;
        for (int p = 0; p < pixels; p++) {
            double sum = 0, squares = 0;
            for (int i = 0; i < count; i++) {
                double v = faces[i * pixels + p];
                sum += v;
                squares += v * v;
            }
            double mean = sum / count;
            total += Math.sqrt(Math.max(0, squares / count - mean * mean));
        }
        return total / pixels;
    }
}
