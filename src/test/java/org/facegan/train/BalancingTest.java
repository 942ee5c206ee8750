package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.facegan.model.Sessions;
import org.facegan.testing.Fixtures;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Seed 003's balancing: the margin rule, the adaptive L2 penalty on D and one-sided label smoothing. */
class BalancingTest {
    static final int B = 8, Y = 3;

    @Test
    void specsParseToCanonicalFormsAndBadOnesNameTheOption() {
        assertThat(Balancing.parse("margin", 1).margin()).isEqualTo(0.3f);
        assertThat(Balancing.parse("margin:0.2", 1).spec()).isEqualTo("margin:0.2");
        assertThat(Balancing.parse("l2", 0.9f).rule()).isEqualTo(Balancing.Rule.L2);
        assertThat(Balancing.parse(null, 1)).isEqualTo(Balancing.NONE);
        assertThatThrownBy(() -> Balancing.parse("margin:0.6", 1)).hasMessageContaining("--balance margin:M");
        assertThatThrownBy(() -> Balancing.parse("margin:x", 1)).hasMessageContaining("--balance margin:x");
        assertThatThrownBy(() -> Balancing.parse("wgan", 1)).hasMessageContaining("--balance must be");
        assertThatThrownBy(() -> Balancing.parse("none", 0.3f)).hasMessageContaining("--label-smoothing");
    }

    @Test
    void theMarginRuleSkipsTheWinnerButNeverBoth() {
        MarginRule rule = new MarginRule(0.3f);
        assertThat(rule.updateD() && rule.updateG()).as("before any measurement").isTrue();
        rule.observe(0.5, 0.1);   // D sure of the fakes: D is winning
        assertThat(rule.updateD()).isFalse();
        assertThat(rule.updateG()).isTrue();
        rule.observe(0.5, 0.8);   // D fooled by the fakes: G is winning
        assertThat(rule.updateD()).isTrue();
        assertThat(rule.updateG()).isFalse();
        rule.observe(0.1, 0.9);   // both at once: both update
        assertThat(rule.updateD() && rule.updateG()).isTrue();
        rule.observe(0.5, 0.5);
        assertThat(rule.updateD() && rule.updateG()).isTrue();
    }

    @Test
    void labelSmoothingMovesOnlyTheRealTarget() {
        float[] real = {-2f, 0.5f, 3f}, fake = {-1f, 1f, 0f};
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> smoothed = GanLoss.discriminator(tf, tf.constant(real), tf.constant(fake), 0.9f);
            try (Result r = session.runner().fetch(smoothed).run()) {
                double expected = 0, size = 0;
                for (float x : real) expected += crossEntropy(x, 0.9) / real.length;
                for (float x : fake) expected += crossEntropy(x, 0) / fake.length;
                // TF's float32 evaluation: per logit max(x, 0) − x·label + log1p(exp(−|x|)), 4 roundings (exp and
                // log1p within an ulp or two) of terms of those sizes, then two means of 3 and their sum
                for (float x : real) size += (Math.max(x, 0) + Math.abs(x * 0.9) + Math.log1p(Math.exp(-Math.abs(x)))) / real.length;
                for (float x : fake) size += (Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))) / fake.length;
                assertThat(((TFloat32) r.get(0)).getFloat()).isCloseTo((float) expected,
                        offset((float) Tolerance.reorderedSum(4 + 3 + 2, size)));
            }
        }
    }

    private static double crossEntropy(double logit, double label) {
        double p = 1 / (1 + Math.exp(-logit));
        return -(label * Math.log(p) + (1 - label) * Math.log(1 - p));
    }

    @Test
    void theL2WeightAddsHalfTheSquaredWeightsToDsLossAndFollowsGsLoss() {
        var model = Fixtures.TINY;
        int s = model.imageSize(), z = model.zDim();
        float preset = 5e-5f;
        try (Graph graph = new Graph()) {
            // no auxiliary, latent or mode-seeking term: G's loss is its adversarial loss alone, which drives the L2 weight
            TrainingGraph t = new TrainingGraph(graph, Fixtures.graphOptions().model(model).auxiliary(0f).latentRecon(0f).modeSeeking(0f).balance("l2").seed(3)
                    .build(), Y);
            Ops tf = Ops.create(graph);
            Op set = tf.assign(t.dL2Weight, tf.constant(preset));
            try (Session session = Sessions.open(graph, 1); FixedBatch batch = new FixedBatch(B, s, Y, z, 5)) {
                TFloat32 xt = batch.images, yt = batch.y, zt = batch.z;
                double lossWithout = dLoss(session, t, xt, yt, zt);
                session.runner().addTarget(set).run().close();
                double lossWith = dLoss(session, t, xt, yt, zt);
                double halfSquares = 0;
                long count = 0;
                List<Variable<TFloat32>> weights = t.discriminator.params().trainable().stream()
                        .filter(v -> v.op().name().endsWith("_w")).toList();
                for (float[] w : Fixtures.values(session, weights).values()) {
                    for (float v : w) halfSquares += v * v / 2;
                    count += w.length;
                }
                // TF sums the `count` halved squares in float32 (any order) and multiplies by the weight; adding the
                // penalty to D's loss rounds once at the loss's size (without the penalty it adds 0, exactly)
                double rounding = preset * (Tolerance.reorderedSum(count, halfSquares) + 2 * Tolerance.FLOAT32 * halfSquares)
                        + Tolerance.FLOAT32 * Math.abs(lossWith);
                assertThat(lossWith - lossWithout).isCloseTo(preset * halfSquares, offset(rounding));

                float gLoss, after;
                try (Result r = session.runner().feed(t.genZ, zt).feed(t.genY, yt).fetch(t.gLoss)
                        .addTarget(t.dL2Update).run()) {
                    gLoss = ((TFloat32) r.get(0)).getFloat();
                }
                try (Result r = session.runner().fetch(t.dL2Weight).run()) {
                    after = ((TFloat32) r.get(0)).getFloat();
                }
                float expected = gLoss > Balancing.G_LOSS_HIGH ? preset + Balancing.L2_STEP
                        : gLoss < Balancing.G_LOSS_LOW ? preset - Balancing.L2_STEP : preset;
                // one float32 addition of ±L2_STEP (its product with ±1 is exact) in TF and here: both correctly
                // rounded, so equal
                assertThat(after).as("G loss %s", gLoss).isEqualTo(expected);
            }
        }
    }

    private static double dLoss(Session session, TrainingGraph t, TFloat32 x, TFloat32 y, TFloat32 z) {
        try (Result r = session.runner().feed(t.realImages, x).feed(t.realY, y).feed(t.fakeZ, z).feed(t.fakeY, y)
                .fetch(t.dLoss).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    @Test
    void balancedRunsLogTheirSkipsAndL2Weight(@TempDir Path tmp) throws Exception {
        var data = Fixtures.noiseFaces(16, 32, 2);
        TrainOptions base = ResumeTest.withSteps(Fixtures.options("noise", Fixtures.TINY, 1, 1), 40);
        TrainOptions margin = withBalance(base, "margin:0.45", 0.9f);
        new Trainer(margin, data, new RunDirectory(tmp.resolve("margin")), (i, g, s, f) -> {}).train(TrainingListener.NONE);
        List<String[]> rows = rows(tmp.resolve("margin/metrics.csv"));
        assertThat(rows.stream().mapToInt(r -> Integer.parseInt(r[9]) + Integer.parseInt(r[10])).sum())
                .as("skipped updates in 40 steps with a 0.45 margin").isPositive();
        assertThat(rows).allSatisfy(r -> assertThat(Integer.parseInt(r[9]) + Integer.parseInt(r[10])).isLessThanOrEqualTo(10));

        TrainOptions l2 = withBalance(base, "l2", 1f);
        new Trainer(l2, data, new RunDirectory(tmp.resolve("l2")), (i, g, s, f) -> {}).train(TrainingListener.NONE);
        for (String[] r : rows(tmp.resolve("l2/metrics.csv"))) {
            double w = Double.parseDouble(r[11]);
            long step = Long.parseLong(r[0]);
            // after k steps the weight is j·L2_STEP, j ≤ k, up to its float32 additions (the i-th rounds by at
            // most u·i·L2_STEP: k(k + 1)u/2 steps' worth in all) and metrics.csv's %.6g (5·10⁻⁶ of it)
            double drift = step * (step + 1) * Tolerance.FLOAT32 / 2 + step * PRINTED;
            assertThat(w).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo((step + drift) * Balancing.L2_STEP);
            assertThat(w / Balancing.L2_STEP).isCloseTo(Math.rint(w / Balancing.L2_STEP), offset(drift));
        }
    }

    /** metrics.csv writes d_l2 with %.6g: within half a unit in the 6th significant digit, 5·10⁻⁶ of the value. */
    static final double PRINTED = 0.5e-5;

    private static List<String[]> rows(Path metrics) throws Exception {
        List<String> lines = Files.readAllLines(metrics);
        assertThat(lines.get(0)).contains(",d_skips,g_skips,d_l2,");
        return lines.stream().skip(1).map(l -> l.split(",")).toList();
    }

    private static TrainOptions withBalance(TrainOptions o, String balance, float labelSmoothing) {
        return o.toBuilder().balance(balance).labelSmoothing(labelSmoothing).build();
    }
}
