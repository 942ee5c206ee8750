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

}
