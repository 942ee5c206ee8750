package org.facegan.model;

import java.util.List;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;

/**
 * A layer that computes a statistic of its training batch and keeps a moving average of it for inference, where a
 * face's output must not depend on the rest of its batch: {@link BatchNorm}, {@link MinibatchStddev}.
 */
interface MovingStatistic {
    /** Assignments moving the averages toward the mean of {@code calls}' statistics. */
    List<Op> update(Ops tf, List<BatchStatistics.Moments> calls);

    /** Assignments setting the averages to one call's statistics. */
    List<Op> reset(Ops tf, BatchStatistics.Moments call);
}
