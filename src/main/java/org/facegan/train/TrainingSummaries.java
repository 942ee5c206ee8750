package org.facegan.train;

import org.facegan.data.ImageGrid;
import org.facegan.model.Tensors;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * What the trainer sends to TensorBoard: every metrics row as scalars (metrics.csv's values and the learning rate),
 * and at every sample step the sample grid as an image plus histograms of D's logits and E's z.
 */
final class TrainingSummaries {
    static final String[] SCALARS =
            {"d_loss", "g_loss", "e_loss", "d_real", "d_fake", "images_per_s", "input_wait", "learning_rate", "d_skips",
                    "g_skips", "d_l2", "d_gen"};
    static final String SAMPLES = "samples";
    static final String[] HISTOGRAMS = {"d_logits_real", "d_logits_fake", "e_z"};

    private TrainingSummaries() {}

    static void scalars(Summaries out, StepStats s, double learningRate) {
        double[] values = {s.dLoss(), s.gLoss(), s.eLoss(), s.dReal(), s.dFake(), s.imagesPerSecond(), s.inputWait(),
                learningRate, s.dSkips(), s.gSkips(), s.dL2(), s.dGen()};
        for (int i = 0; i < SCALARS.length; i++) out.scalar(SCALARS[i], s.step(), values[i]);
        if (s.eval() != null) {
            out.scalar("eval_cond_acc", s.step(), s.eval().conditionalAccuracy());
            out.scalar("eval_frechet", s.step(), s.eval().frechet());
            s.eval().distances().forEach((metric, value) -> {
                if (MetricsLog.EVAL_DISTANCES.contains(metric)) out.scalar("eval_" + metric, s.step(), value);
            });
        }
    }

    static void samples(Summaries out, long step, float[] images, SampleGrid grid, int imageSize) {
        out.image(SAMPLES, step, ImageGrid.grid(images, grid.count(), imageSize, grid.columns()));
    }

    /**
     * D's logits on the step's real and fake batches and E's z on G's images: a forward pass of the training graph
     * (batch statistics, as in the step; no update runs, so training is unchanged).
     */
    static void histograms(Summaries out, long step, Session session, TrainingGraph net, StepDraws.Batch batch,
                           int b, int s, int yDim, int zDim) {
        try (BatchTensors in = new BatchTensors(batch, b, s, yDim, zDim);
             Result r = session.runner().feed(net.realImages, in.images).feed(net.realY, in.realY)
                     .feed(net.fakeZ, in.fakeZ).feed(net.fakeY, in.fakeY).feed(net.genZ, in.genZ).feed(net.genY, in.genY)
                     .fetch(net.realLogits).fetch(net.fakeLogits).fetch(net.encodedZ).run()) {
            for (int i = 0; i < HISTOGRAMS.length; i++) out.histogram(HISTOGRAMS[i], step, Tensors.read((TFloat32) r.get(i)));
        }
    }
}
