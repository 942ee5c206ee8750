package org.facegan.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;

/** What G, D and E share: their variables and their batch-norm layers. */
public abstract class Network {
    protected final Params params;
    protected final List<BatchNorm> norms = new ArrayList<>();

    protected Network(Params params) {
        this.params = params;
    }

    public Params params() {
        return params;
    }

    protected BatchNorm batchNorm(String name, int channels) {
        BatchNorm bn = new BatchNorm(params, name, channels);
        norms.add(bn);
        return bn;
    }

    /** Moving-average updates from the TRAIN calls made since the last drain. */
    public List<Op> statisticUpdates(Ops tf) {
        List<Op> ops = new ArrayList<>();
        for (BatchNorm bn : norms) ops.addAll(bn.updates(tf));
        return ops;
    }

    /** Assignments setting the moving statistics to those of the one TRAIN call since the last drain. */
    public List<Op> statisticResets(Ops tf) {
        List<Op> ops = new ArrayList<>();
        for (BatchNorm bn : norms) ops.addAll(bn.resets(tf));
        return ops;
    }

    /** Drops the statistics of TRAIN calls that should not move the averages. */
    public void discardStatistics() {
        norms.forEach(BatchNorm::discardPending);
    }
}
