package org.facegan.model;

/**
 * How batch norm behaves in a network call, and where the batch statistics of a training call go.
 *
 * <p>A training call normalises with its batch's statistics. Whether those statistics also move the moving
 * averages is the caller's decision, made at the call: {@link #recording} collects them into a
 * {@link BatchStatistics} that the caller turns into updates; {@link #TRAIN} uses them for this call only (D judging
 * G's batch in G's phase, for instance, must not move D's averages).
 */
public final class Mode {
    /** Normalise with the batch's statistics; keep nothing. */
    public static final Mode TRAIN = new Mode(true, null);
    /**
     * Normalise with the moving statistics: a sample's output does not depend on the rest of its batch. Batch norm is
     * folded into the convolution or dense layer before it (its scale into the weights, its shift as a bias), the same
     * function with one pass over the activations fewer ({@link BatchNorm#folded}).
     */
    public static final Mode INFERENCE = new Mode(false, null, true);
    /** {@link #INFERENCE} with batch norm as its own op after each layer: the reference the folding is tested against. */
    public static final Mode INFERENCE_UNFOLDED = new Mode(false, null, false);

    private final boolean training;
    private final BatchStatistics into;
    private final boolean folds;

    private Mode(boolean training, BatchStatistics into) {
        this(training, into, false);
    }

    private Mode(boolean training, BatchStatistics into, boolean folds) {
        this.training = training;
        this.into = into;
        this.folds = folds;
    }

    /** Whether batch norm is folded into the layer before it (inference only). */
    public boolean foldsBatchNorm() {
        return folds;
    }

    /** Normalise with the batch's statistics and add them to {@code into}. */
    public static Mode recording(BatchStatistics into) {
        return new Mode(true, java.util.Objects.requireNonNull(into, "into"));
    }

    public boolean training() {
        return training;
    }

    /** Hands a training call's statistics to the collector, if this mode has one. */
    void record(MovingStatistic layer, BatchStatistics.Moments moments) {
        if (into != null) into.add(layer, moments);
    }

    @Override
    public String toString() {
        return !training ? (folds ? "INFERENCE" : "INFERENCE (unfolded)") : into == null ? "TRAIN" : "TRAIN (recording)";
    }
}
