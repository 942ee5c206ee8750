package org.facegan.train;

import java.util.SplittableRandom;
import org.facegan.data.FaceDataset;
import org.facegan.model.Tensors;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Refreshes the averaged G's batch-norm statistics ({@link GeneratorAverage}) from one fixed batch of
 * {@value #COUNT} z's and y's, drawn once from the run's seed, so the statistics saved with a checkpoint depend only
 * on its weights (a resumed run saves the same ones).
 */
final class AveragedStatistics {
    /** Faces in the batch (the largest layer of faces32 then holds 128 MiB of activations). */
    static final int COUNT = 1024;
    private static final long STREAM = 0x57A7DL;

    private final Session session;
    private final TrainingGraph net;
    private final float[] z, y;
    private final int zDim, yDim;

    AveragedStatistics(Session session, TrainingGraph net, FaceDataset data, YSampler ySampler, int zDim, long seed) {
        this.session = session;
        this.net = net;
        this.zDim = zDim;
        this.yDim = data.attributeNames().size();
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, STREAM, 0));
        this.z = new float[COUNT * zDim];
        for (int i = 0; i < z.length; i++) z[i] = (float) random.nextGaussian();
        this.y = new float[COUNT * yDim];
        ySampler.fill(random, y);
    }

    void refresh() {
        try (TFloat32 zt = Tensors.matrix(COUNT, zDim, z); TFloat32 yt = Tensors.matrix(COUNT, yDim, y)) {
            session.runner().feed(net.genZ, zt).feed(net.genY, yt).addTarget(net.averageStatistics).run();
        }
    }
}
