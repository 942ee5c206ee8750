package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.facegan.model.Network;
import org.facegan.model.Sessions;
import org.facegan.testing.Fixtures;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Each phase moves its own network's variables and nothing else. */
class TrainingGraphTest {
    static final int B = 8, Y = 4;

    @Test
    void eachPhaseChangesOnlyItsOwnNetwork() {
        var model = Fixtures.TINY;
        int s = model.imageSize(), z = model.zDim();
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().model(model).seed(3).build(), Y);
            try (Session session = Sessions.open(graph, 1); FixedBatch batch = new FixedBatch(B, s, Y, z, 5)) {
                TFloat32 xt = batch.images, yt = batch.y, zt = batch.z;
                Runnable dPhase = () -> session.runner().feed(t.realImages, xt).feed(t.realY, yt)
                        .feed(t.fakeZ, zt).feed(t.fakeY, yt).addTarget(t.dTrain).run().close();
                Runnable gPhase = () -> session.runner().feed(t.genZ, zt).feed(t.genY, yt).addTarget(t.gTrain).run().close();
                Runnable ePhase = () -> session.runner().feed(t.genZ, zt).feed(t.genY, yt).addTarget(t.eTrain).run().close();

                assertOnlyMoves(session, t, dPhase, t.discriminator);
                assertOnlyMoves(session, t, gPhase, t.generator);
                assertOnlyMoves(session, t, ePhase, t.encoder);
            }
        }
    }

    @Test
    void theMismatchedYReusesTheRealFacesTrunkInsteadOfRunningDTwice() {
        var model = Fixtures.TINY;
        try (Graph graph = new Graph()) {
            new TrainingGraph(graph, Fixtures.graphOptions().model(model).seed(3).build(), Y);
            long[] convs = {0};
            graph.operations().forEachRemaining(op -> {
                if (op.type().equals("Conv2D") && op.name().startsWith("d_phase/")) convs[0]++;
            });
            // D's trunk on the real batch and on G's batch; the mismatched pairs only add a dense head
            assertThat(convs[0]).isEqualTo(2L * model.stages());
        }
    }

    /**
     * D's weights are at most 1 (batch-norm scales start at 1, kernels are N(0, 0.02)), and a first Adam step moves
     * each by at most its rate (lr·g/(|g| + ε)).
     */
    static final double LARGEST_WEIGHT = 1, LARGEST_RATE = 2e-3;

    /**
     * How far the ratio of two first D steps may be from the ratio of their rates, when that is a power of two.
     * ApplyAdam computes each step as the rate times factors that do not depend on it, so the steps themselves are
     * in that ratio exactly (scaling by a power of two is exact in float32); only w − step is rounded, by at most u
     * of |w| + |step|. Over the mean |Δw| = `common` of the first step, the ratio moves by at most
     * u·(3·|w| + 4·|step|)/common (the larger step's error, and twice the smaller's).
     */
    static double stepRatioRounding(double common) {
        return Tolerance.FLOAT32 * (3 * LARGEST_WEIGHT + 4 * LARGEST_RATE) / common;
    }

    /** TTUR: D's first Adam step moves each weight by about its learning rate, so doubling D's rate doubles it. */
    @Test
    void dsOwnLearningRateScalesOnlyDsStep() {
        double common = firstDStep(0f), own = firstDStep(2e-3f);
        assertThat(own / common).isCloseTo(2, org.assertj.core.data.Offset.offset(stepRatioRounding(common)));
        // 2e-3·(5e-4/1e-3) in float32 (two roundings) against the float32 nearest 1e-3 (one)
        assertThat(Fixtures.graphOptions().dLearningRate(2e-3f).build()
                .withLearningRate(5e-4f).discriminatorLearningRate()).isCloseTo(1e-3f,
                        org.assertj.core.data.Offset.offset((float) (3 * Tolerance.FLOAT32 * 1e-3)));
    }

    @Test
    void theFedLearningRateScaleMultipliesTheStepAndTheScheduleFallsLinearlyToTheEnd() {
        double unscaled = firstDStep(0f, null);
        assertThat(firstDStep(0f, 0.5f) / unscaled).isCloseTo(0.5, org.assertj.core.data.Offset.offset(stepRatioRounding(unscaled)));
        assertThat(firstDStep(0f, 0f)).isZero();
        TrainOptions decaying = Fixtures.options("noise", Fixtures.TINY, 10, 1).toBuilder().lrDecay(0.5f).build();
        float[] scales = new float[10];
        for (int step = 0; step < 10; step++) scales[step] = decaying.learningRateScale(step);
        // each is a quotient in double rounded once to float32, as the literals are: within a float32 ulp (≤ u below 1)
        assertThat(scales).containsExactly(new float[] {1, 1, 1, 1, 1, 1, 0.8f, 0.6f, 0.4f, 0.2f},
                org.assertj.core.data.Offset.offset((float) Tolerance.FLOAT32));
        assertThat(Fixtures.options("noise", Fixtures.TINY, 10, 1).learningRateScale(9)).isEqualTo(1f);
    }

    private static double firstDStep(float dRate) {
        return firstDStep(dRate, null);
    }

    /**
     * Mean |Δw| of D's weights after one D step at lr 1e-3 and D's own rate {@code dRate} (0: the same), with
     * {@code scale} fed as the learning rate scale (null: not fed).
     */
    private static double firstDStep(float dRate, Float scale) {
        var model = Fixtures.TINY;
        try (Graph graph = new Graph()) {
            TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().model(model).dLearningRate(dRate).seed(3).build(), Y);
            try (Session session = Sessions.open(graph, 1); FixedBatch batch = new FixedBatch(B, model.imageSize(), Y, model.zDim(), 5)) {
                Map<String, float[]> before = Fixtures.values(session, t.discriminator.params().trainable());
                try (TFloat32 fed = TFloat32.scalarOf(scale == null ? 1f : scale)) {
                    var runner = session.runner().feed(t.realImages, batch.images).feed(t.realY, batch.y)
                            .feed(t.fakeZ, batch.z).feed(t.fakeY, batch.y);
                    if (scale != null) runner.feed(t.learningRateScale, fed);
                    runner.addTarget(t.dTrain).run().close();
                }
                return Fixtures.meanAbsoluteDifference(before, Fixtures.values(session, t.discriminator.params().trainable()));
            }
        }
    }

    private static void assertOnlyMoves(Session session, TrainingGraph t, Runnable phase, Network moving) {
        List<Network> nets = List.of(t.generator, t.discriminator, t.encoder);
        List<Variable<TFloat32>> all = new ArrayList<>();
        for (Network n : nets) {
            all.addAll(n.params().trainable());
            all.addAll(n.params().statistics());
        }
        Map<String, float[]> before = Fixtures.values(session, all);
        phase.run();
        Map<String, float[]> after = Fixtures.values(session, all);
        for (Network n : nets) {
            for (Variable<TFloat32> v : n.params().trainable()) {
                String name = v.op().name();
                boolean changed = !Arrays.equals(before.get(name), after.get(name));
                assertThat(changed).as("%s changed by %s's phase", name, moving.params().prefix()).isEqualTo(n == moving);
            }
            for (Variable<TFloat32> v : n.params().statistics()) {
                String name = v.op().name();
                boolean changed = !Arrays.equals(before.get(name), after.get(name));
                assertThat(changed).as("moving statistic %s changed by %s's phase", name, moving.params().prefix())
                        .isEqualTo(n == moving);
            }
        }
    }
}
