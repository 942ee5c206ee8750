package org.facegan.model;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/** Sessions configured the way facegan runs them. */
public final class Sessions {
    private Sessions() {}

    /**
     * A session with grappler's remapper off (it logs a harmless "remapper failed ... LeakyReluGrad" otherwise).
     *
     * @param threads intra/inter-op threads; 0 keeps TensorFlow's default (best on 2 cores), 1 is deterministic
     */
    public static Session open(Graph graph, int threads) {
        return open(graph, threads, null);
    }

    /** The same, with the devices of {@code devices} (see {@link Devices}); null: TensorFlow's defaults. */
    public static Session open(Graph graph, int threads, Devices devices) {
        ConfigProto.Builder config = ConfigProto.newBuilder()
                .setGraphOptions(GraphOptions.newBuilder()
                        .setRewriteOptions(RewriterConfig.newBuilder().setRemapping(RewriterConfig.Toggle.OFF)));
        boolean cluster = devices != null && devices.cluster() != null;
        if (threads > 0 && !cluster) { // a cluster's threads are its servers' (ClusterSpec.serverDef): TensorFlow's
                                       // gRPC session refuses thread-pool options
            // Per-session pools: TensorFlow otherwise sizes its process-wide pools once, at the first session, and
            // ignores the thread counts of every later one (so --threads 1 would not make a run deterministic).
            config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads)
                    .setUsePerSessionThreads(true);
        }
        if (devices != null) devices.configure(config);
        if (cluster) {
            return TargetSession.open(graph, config.build(), devices.cluster().localTarget()); // the chief's server
        }
        return new Session(graph, config.build());
    }
}
