package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.facegan.model.DiscriminatorNorm;
import org.facegan.model.Sessions;
import org.facegan.model.SpectralNorm;
import org.facegan.model.Tensors;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Issue 23's training options: the hinge loss's values, their checks, and a few training steps with each. */
class QualityOptionsTest {
    static final int B = 8, Y = 3;

    @Test
    void hingeLossesOnKnownLogits() {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> real = tf.constant(new float[][] {{2f}, {0.5f}, {-1f}});
            Operand<TFloat32> fake = tf.constant(new float[][] {{-2f}, {0f}, {0.5f}});
            // D: mean relu(1 - real) = (0 + 0.5 + 2)/3, mean relu(1 + fake) = (0 + 1 + 1.5)/3; G: -mean fake = 1.5/3
            float[] got = values(session, AdversarialLoss.HINGE.discriminator(tf, real, fake, 1f),
                    GanLoss.hingeReal(tf, real), GanLoss.hingeFake(tf, fake), AdversarialLoss.HINGE.generator(tf, fake),
                    AdversarialLoss.NONSATURATING.generator(tf, fake), GanLoss.generator(tf, fake));
            assertThat(got[1]).isEqualTo(2.5f / 3);
            assertThat(got[2]).isEqualTo(2.5f / 3);
            assertThat(got[0]).isEqualTo(got[1] + got[2]);
            assertThat(got[3]).isEqualTo(1.5f / 3);
            assertThat(got[4]).as("nonsaturating is today's G loss").isEqualTo(got[5]);
        }
    }

    @Test
    void optionsAreCheckedNamingTheirFlagsAndOldRunsReadAsToday() {
        TrainOptions defaults = TrainOptions.builder().build();
        assertThat(defaults.loss()).isEqualTo("nonsaturating");
        assertThat(defaults.r1()).isZero();
        assertThat(defaults.model().upsample()).isEqualTo("deconv");
        assertThat(defaults.model().dNorm()).isEqualTo(DiscriminatorNorm.BATCH);
        assertThatThrownBy(() -> TrainOptions.builder().loss("wasserstein").build()).hasMessageContaining("--loss")
                .hasMessageContaining("wasserstein");
        assertThatThrownBy(() -> TrainOptions.builder().loss("hinge").balance("l2").build())
                .hasMessageContaining("--loss hinge").hasMessageContaining("--balance");
        assertThatThrownBy(() -> TrainOptions.builder().loss("hinge").labelSmoothing(0.9f).build())
                .hasMessageContaining("--label-smoothing");
        assertThatThrownBy(() -> TrainOptions.builder().r1(-1).build()).hasMessageContaining("--r1");
        assertThatThrownBy(() -> TrainOptions.builder().r1(10).build()).hasMessageContaining("--r1 needs --d-norm spectral");
        TrainOptions spectral = Fixtures.graphOptions().model(Fixtures.TINY.withDNorm(DiscriminatorNorm.SPECTRAL)).r1(10).build();
        assertThatThrownBy(() -> spectral.toBuilder().precision("fp16").build()).hasMessageContaining("--r1")
                .hasMessageContaining("fp16");
        assertThat(spectral.toBuilder().build()).isEqualTo(spectral);
        assertThat(defaults.latentRecon()).isEqualTo(TrainOptions.DEFAULT_LATENT_RECON).isEqualTo(1f);
        assertThat(TrainOptions.builder().mode("vaegan").build().latentRecon()).as("the VAE/GAN's default").isZero();
        assertThat(defaults.model().dThumbnail()).as("faces32's D reads the thumbnail").isTrue();
        assertThat(defaults.model().gSkip()).as("faces32's G has the skip").isTrue();
        assertThat(defaults.model().gTopChannels()).as("faces32's G has 32 channels at full resolution").isEqualTo(32);
        assertThatThrownBy(() -> TrainOptions.builder().latentRecon(-1).build()).hasMessageContaining("--latent-recon")
                .hasMessageContaining("found -1");
        assertThatThrownBy(() -> TrainOptions.builder().latentRecon(1).mode("vaegan").build())
                .hasMessageContaining("--latent-recon").hasMessageContaining("--mode gan");
        assertThat(defaults.modeSeeking()).isEqualTo(TrainOptions.DEFAULT_MODE_SEEKING).isEqualTo(0.25f);
        assertThat(TrainOptions.builder().mode("vaegan").build().modeSeeking()).as("the VAE/GAN's default").isZero();
        assertThatThrownBy(() -> TrainOptions.builder().modeSeeking(-1).build()).hasMessageContaining("--mode-seeking")
                .hasMessageContaining("found -1");
        assertThatThrownBy(() -> TrainOptions.builder().modeSeeking(1).mode("vaegan").build())
                .hasMessageContaining("--mode-seeking").hasMessageContaining("--mode gan");
        assertThat(defaults.gMoments()).isEqualTo(TrainOptions.DEFAULT_G_MOMENTS).isZero();
        assertThatThrownBy(() -> TrainOptions.builder().gMoments(-1).build()).hasMessageContaining("--g-moments")
                .hasMessageContaining("[0, 100]").hasMessageContaining("found -1");
        assertThatThrownBy(() -> TrainOptions.builder().gMoments(101).build()).hasMessageContaining("--g-moments")
                .hasMessageContaining("found 101");
        assertThatThrownBy(() -> TrainOptions.builder().gMoments(1).mode("vaegan").build())
                .hasMessageContaining("--g-moments").hasMessageContaining("--mode gan");
        assertThatThrownBy(() -> TrainOptions.builder().gMoments(1).batch(2).build())
                .hasMessageContaining("--g-moments").hasMessageContaining("--batch").hasMessageContaining("found 2");
        TrainOptions moments = TrainOptions.builder().gMoments(2.5f).build();
        assertThat(moments.toBuilder().build()).isEqualTo(moments);
    }

    static Stream<TrainOptions> options() {
        var spectral = Fixtures.TINY.withDNorm(DiscriminatorNorm.SPECTRAL);
        return Stream.of(
                Fixtures.graphOptions().model(Fixtures.TINY.withUpsample("resize")).build(),
                Fixtures.graphOptions().model(Fixtures.TINY.withUpsample("resize,resize,deconv")).build(),
                Fixtures.graphOptions().model(spectral).build(),
                Fixtures.graphOptions().model(spectral).reuseFakes(true).build(),
                Fixtures.graphOptions().loss("hinge").build(),
                Fixtures.graphOptions().model(Fixtures.TINY.withMinibatchStddev(true).withThumbnail(true).withGeneratorSkip(true)).generatorAverage(0.9f).build(),
                Fixtures.graphOptions().model(spectral).r1(10).build(),
                Fixtures.graphOptions().model(spectral.withUpsample("resize")).loss("hinge").r1(1).generatorAverage(0.9f).build(),
                Fixtures.graphOptions().latentRecon(1).build(),
                Fixtures.graphOptions().latentRecon(0.5f).reuseFakes(true).generatorAverage(0.9f).build(),
                Fixtures.graphOptions().latentRecon(1).encoderRecon(0.5f).build(),
                Fixtures.graphOptions().modeSeeking(1).build(),
                Fixtures.graphOptions().modeSeeking(0.5f).reuseFakes(true).build(),
                Fixtures.graphOptions().gMoments(1).build(),
                Fixtures.graphOptions().gMoments(1).reuseFakes(true).build(),
                Fixtures.graphOptions().model(Fixtures.TINY.withGeneratorTop(4).withGeneratorSkip(true)).build());
    }

    @ParameterizedTest
    @MethodSource("options")
    void aFewTrainingStepsRunWithFiniteLossesAndMoveTheWeights(TrainOptions options) {
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, options, Y);
            List<Variable<TFloat32>> dWeights = t.discriminator.params().trainable();
            List<SpectralNorm> norms = t.discriminator.spectralNorms();
            assertThat(norms).hasSize(options.model().spectralD() ? 6 : 0);
            try (Session session = Sessions.open(graph, 1);
                 FixedBatch batch = new FixedBatch(B, options.model().imageSize(), Y, options.model().zDim(), 3)) {
                Map<String, float[]> d0 = Fixtures.values(session, dWeights), g0 = Fixtures.values(session, t.generator.params().trainable());
                float dLossWithoutR1 = Float.NaN;
                for (int step = 0; step < 3; step++) {
                    float[] u = norms.isEmpty() ? null : read(session, norms.get(1).u());
                    try (Result r = fed(session.runner(), t, batch).fetch(t.dLoss).addTarget(t.dTrain).run()) {
                        float dLoss = Tensors.read((TFloat32) r.get(0))[0];
                        assertThat(dLoss).as("D loss, step %d", step).isFinite();
                    }
                    if (u != null) {
                        float[] moved = read(session, norms.get(1).u());
                        assertThat(moved).as("D's update advances u").isNotEqualTo(u);
                        u = moved;
                    }
                    try (Result r = fed(session.runner(), t, batch).fetch(t.gLoss).fetch(t.eLoss)
                            .addTarget(t.gTrain).addTarget(t.eTrain).run()) {
                        assertThat(Tensors.read((TFloat32) r.get(0))[0]).as("G loss, step %d", step).isFinite();
                        assertThat(Tensors.read((TFloat32) r.get(1))[0]).as("E loss, step %d", step).isFinite();
                    }
                    try (Result r = session.runner().feed(t.genZ, batch.z).feed(t.genY, batch.y).fetch(t.samples).run()) {
                        for (float v : Tensors.read((TFloat32) r.get(0))) assertThat(v).isBetween(-1f, 1f);
                    }
                    if (u != null && !options.reuseFakes()) {
                        assertThat(read(session, norms.get(1).u())).as("G's and E's updates and sampling leave u").containsExactly(u);
                    }
                }
                assertThat(Fixtures.meanAbsoluteDifference(d0, Fixtures.values(session, dWeights))).isPositive();
                assertThat(Fixtures.meanAbsoluteDifference(g0, Fixtures.values(session, t.generator.params().trainable()))).isPositive();
            }
        }
    }

    @Test
    void theR1PenaltyRaisesDsLossOnTheSameWeights() {
        var spectral = Fixtures.TINY.withDNorm(DiscriminatorNorm.SPECTRAL);
        float[] losses = new float[2];
        for (int i = 0; i < 2; i++) {
            try (Graph graph = new Graph()) {
                TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().model(spectral).r1(i * 10f).build(), Y);
                try (Session session = Sessions.open(graph, 1); FixedBatch batch = new FixedBatch(B, 32, Y, spectral.zDim(), 3);
                     Result r = fed(session.runner(), t, batch).fetch(t.dLoss).run()) {
                    losses[i] = Tensors.read((TFloat32) r.get(0))[0];
                }
            }
        }
        assertThat(losses[1]).isGreaterThan(losses[0]);
    }

    /**
     * {@code --latent-recon W} adds W times E's own loss to G's, on the same weights and batch, and reaches G's
     * gradients; E's loss and gradients stay as they were (its step reads G's images either way).
     */
    @Test
    void theLatentReconstructionAddsEsErrorToGsLossAndOnlyGsGradientsMove() {
        float weight = 0.75f;
        float[][] losses = new float[2][];
        float[][][] gGradients = new float[2][][], eGradients = new float[2][][];
        for (int i = 0; i < 2; i++) {
            try (Graph graph = new Graph()) {
                TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().latentRecon(i * weight).build(), Y);
                try (Session session = Sessions.open(graph, 1); FixedBatch batch = new FixedBatch(B, 32, Y, Fixtures.TINY.zDim(), 3)) {
                    float[][] both = all(session, t, batch, List.of(t.gLoss.asOutput(), t.eLoss.asOutput()));
                    losses[i] = new float[] {both[0][0], both[1][0]};
                    gGradients[i] = all(session, t, batch, t.gGradients);
                    eGradients[i] = all(session, t, batch, t.eGradients);
                }
            }
        }
        assertThat(losses[1][1]).as("E's loss").isCloseTo(losses[0][1], org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(losses[1][0]).as("G's loss = G's without + W * E's")
                .isCloseTo(losses[0][0] + weight * losses[0][1], org.assertj.core.data.Offset.offset(1e-5f));
        for (int k = 0; k < eGradients[0].length; k++) {
            assertThat(eGradients[1][k]).as("E's gradient %d", k).containsExactly(eGradients[0][k],
                    org.assertj.core.data.Offset.offset(1e-6f));
        }
        double moved = 0;
        for (int k = 0; k < gGradients[0].length; k++) {
            for (int j = 0; j < gGradients[0][k].length; j++) moved += Math.abs(gGradients[1][k][j] - gGradients[0][k][j]);
        }
        assertThat(moved).as("G's gradients change with the term").isGreaterThan(1e-3);
    }

    /**
     * {@code --mode-seeking W} adds W / (ratio + ε) to G's loss, the ratio taken here in plain Java on G's batch as the
     * step drew it: the mean |difference| of rows i and i + N/2 of the faces over that of the z's.
     */
    @Test
    void modeSeekingAddsTheInverseRatioOfFaceToZDistancesOfThePairs() {
        float weight = 0.5f;
        float[] losses = new float[2];
        float[] faces = null, z = null;
        for (int i = 0; i < 2; i++) {
            try (Graph graph = new Graph()) {
                TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().modeSeeking(i * weight).build(), Y);
                try (Session session = Sessions.open(graph, 1); FixedBatch batch = new FixedBatch(B, 32, Y, Fixtures.TINY.zDim(), 3)) {
                    float[][] got = all(session, t, batch, List.of(t.gLoss.asOutput(), t.gFakes.asOutput()));
                    losses[i] = got[0][0];
                    faces = got[1];
                    z = Tensors.read(batch.z);
                }
            }
        }
        double ratio = meanPairDistance(faces, B) / meanPairDistance(z, B);
        assertThat(ratio).isPositive();
        assertThat(losses[1]).as("G's loss = G's without + W / (ratio + eps)")
                .isCloseTo((float) (losses[0] + weight / (ratio + ModeSeeking.EPSILON)), org.assertj.core.data.Offset.offset(1e-4f));
    }

    /**
     * {@code --g-moments W} adds W times the thumbnails' moment distance to G's loss, recomputed here in plain Java from
     * G's batch and the real moments the D step left: halves A and B of the batch (rows i mod 4 even and odd at a batch
     * of 8, so mode seeking's pairs (i, i + 4) stay together), ⟨μ_A − μ_r, μ_B − μ_r⟩ / tr Σ_r + ⟨Σ_A − Σ_r, Σ_B − Σ_r⟩
     * / ‖Σ_r‖²_F, with μ_r and Σ_r the bias-corrected averages. A run without the option has no such variables.
     */
    @Test
    void gMomentsAddsTheThumbnailMomentDistanceFromTheRealAverages() {
        float weight = 0.5f;
        float[] losses = new float[2];
        float[] faces = null, movingMean = null, movingCovariance = null, power = null;
        for (int i = 0; i < 2; i++) {
            try (Graph graph = new Graph()) {
                TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().gMoments(i * weight).build(), Y);
                assertThat(graph.operation("g_moments_real_mean") != null).as("moment variables with W = %s", i * weight)
                        .isEqualTo(i == 1);
                try (Session session = Sessions.open(graph, 1); FixedBatch batch = new FixedBatch(B, 32, Y, Fixtures.TINY.zDim(), 3)) {
                    fed(session.runner(), t, batch).addTarget(t.dTrain).run().close();
                    float[][] got = all(session, t, batch, List.of(t.gLoss.asOutput(), t.gFakes.asOutput()));
                    losses[i] = got[0][0];
                    faces = got[1];
                    if (i == 1) {
                        movingMean = read(session, t.realMoments.movingMean);
                        movingCovariance = read(session, t.realMoments.movingCovariance);
                        power = read(session, t.realMoments.decayPower);
                    }
                }
            }
        }
        int f = LowResMoments.FEATURES;
        double correction = 1 - power[0];
        double[] realMean = new double[f], realCovariance = new double[f * f];
        for (int k = 0; k < f; k++) realMean[k] = movingMean[k] / correction;
        for (int k = 0; k < f * f; k++) realCovariance[k] = movingCovariance[k] / correction;
        double[][] thumbs = thumbnails(faces, B, 32);
        double[][] a = rows(thumbs, 0, 2, 4, 6), b = rows(thumbs, 1, 3, 5, 7);
        double[] meanA = mean(a), meanB = mean(b), covA = covariance(a), covB = covariance(b);
        double meanTerm = 0, trace = 0, covarianceTerm = 0, norm = 0;
        for (int k = 0; k < f; k++) {
            meanTerm += (meanA[k] - realMean[k]) * (meanB[k] - realMean[k]);
            trace += realCovariance[k * f + k];
        }
        for (int k = 0; k < f * f; k++) {
            covarianceTerm += (covA[k] - realCovariance[k]) * (covB[k] - realCovariance[k]);
            norm += realCovariance[k] * realCovariance[k];
        }
        double term = meanTerm / trace + covarianceTerm / norm;
        assertThat(term).as("the distance of an untrained G's faces").isPositive();
        // float32 sums over 48·48 products of the term's size, far below 1e-4 of G's loss (~5)
        assertThat(losses[1]).as("G's loss = G's without + W · the moment distance")
                .isCloseTo((float) (losses[0] + weight * term), org.assertj.core.data.Offset.offset(1e-4f));
    }

    /**
     * D's runs move the real moments: after updates on batches 1 and 2 from zero, m = d(1 − d)·x₁ + (1 − d)·x₂ for the
     * mean and the covariance (n − 1) of each batch's thumbnails, and the decay's power is d².
     */
    @Test
    void dStepsMoveTheRealMomentsByTheirMovingAverage() {
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().gMoments(1).build(), Y);
            try (Session session = Sessions.open(graph, 1); FixedBatch first = new FixedBatch(B, 32, Y, Fixtures.TINY.zDim(), 3);
                 FixedBatch second = new FixedBatch(B, 32, Y, Fixtures.TINY.zDim(), 4)) {
                fed(session.runner(), t, first).addTarget(t.dTrain).run().close();
                fed(session.runner(), t, second).addTarget(t.dTrain).run().close();
                double d = LowResMoments.DECAY;
                double[][] x1 = thumbnails(Tensors.read(first.images), B, 32), x2 = thumbnails(Tensors.read(second.images), B, 32);
                double[] mean1 = mean(x1), mean2 = mean(x2), cov1 = covariance(x1), cov2 = covariance(x2);
                float[] movingMean = read(session, t.realMoments.movingMean), movingCovariance = read(session, t.realMoments.movingCovariance);
                // each value a float32 sum of 64 pixels, then two multiply-adds: relative error ~1e-6 on values below 0.1
                for (int k = 0; k < mean1.length; k++) {
                    assertThat((double) movingMean[k]).as("mean %d", k)
                            .isCloseTo(d * (1 - d) * mean1[k] + (1 - d) * mean2[k], org.assertj.core.data.Offset.offset(1e-6));
                }
                for (int k = 0; k < cov1.length; k++) {
                    assertThat((double) movingCovariance[k]).as("covariance %d", k)
                            .isCloseTo(d * (1 - d) * cov1[k] + (1 - d) * cov2[k], org.assertj.core.data.Offset.offset(1e-7));
                }
                assertThat((double) read(session, t.realMoments.decayPower)[0]).isCloseTo(d * d, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    /** Each face's 4×4 block means of NHWC {@code images}, as (row, column, channel): [n][48]. */
    private static double[][] thumbnails(float[] images, int n, int size) {
        int block = size / 4;
        double[][] out = new double[n][LowResMoments.FEATURES];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int c = 0; c < 3; c++) {
                        out[i][((y / block) * 4 + x / block) * 3 + c] += images[((i * size + y) * size + x) * 3 + c];
                    }
                }
            }
            for (int k = 0; k < out[i].length; k++) out[i][k] /= block * block;
        }
        return out;
    }

    private static double[][] rows(double[][] x, int... which) {
        double[][] out = new double[which.length][];
        for (int i = 0; i < which.length; i++) out[i] = x[which[i]];
        return out;
    }

    private static double[] mean(double[][] x) {
        double[] m = new double[x[0].length];
        for (double[] row : x) for (int k = 0; k < m.length; k++) m[k] += row[k] / x.length;
        return m;
    }

    /** The covariance with Bessel's correction, row-major [F·F]. */
    private static double[] covariance(double[][] x) {
        double[] m = mean(x);
        int f = m.length;
        double[] c = new double[f * f];
        for (double[] row : x) {
            for (int j = 0; j < f; j++) for (int k = 0; k < f; k++) c[j * f + k] += (row[j] - m[j]) * (row[k] - m[k]) / (x.length - 1);
        }
        return c;
    }

    private static double meanPairDistance(float[] rows, int n) {
        int width = rows.length / n, half = n / 2;
        double sum = 0;
        for (int i = 0; i < half * width; i++) sum += Math.abs(rows[i] - rows[i + half * width]);
        return sum / (half * width);
    }

    private static float[][] all(Session session, TrainingGraph t, FixedBatch batch, List<? extends org.tensorflow.Output<?>> xs) {
        Session.Runner runner = fed(session.runner(), t, batch);
        for (var x : xs) runner.fetch(x);
        try (Result r = runner.run()) {
            float[][] out = new float[xs.size()][];
            for (int i = 0; i < xs.size(); i++) out[i] = Tensors.read((TFloat32) r.get(i));
            return out;
        }
    }

    private static Session.Runner fed(Session.Runner runner, TrainingGraph t, FixedBatch batch) {
        return runner.feed(t.realImages, batch.images).feed(t.realY, batch.y).feed(t.fakeZ, batch.z).feed(t.fakeY, batch.y)
                .feed(t.genZ, batch.z).feed(t.genY, batch.y).feed(t.noise, batch.noise);
    }

    private static float[] read(Session session, Operand<TFloat32> x) {
        try (Result r = session.runner().fetch(x).run()) {
            return Tensors.read((TFloat32) r.get(0));
        }
    }

    private static float[] values(Session session, Operand<?>... xs) {
        Session.Runner runner = session.runner();
        for (Operand<?> x : xs) runner.fetch(x);
        try (Result r = runner.run()) {
            float[] out = new float[xs.length];
            for (int i = 0; i < xs.length; i++) out[i] = Tensors.read((TFloat32) r.get(i))[0];
            return out;
        }
    }
}
