package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An inference graph's cached weights ({@link WeightCache}): G, D and E give the same bits as the same networks
 * deriving their weights on every run, in every {@link ConvForm}; and the cache is what they read, so a change of
 * the variables shows only after a refresh.
 */
class WeightCacheTest {
    static final int N = 3, Y = 3;

    @ParameterizedTest
    @EnumSource(ConvForm.class)
    void cachedNetworksGiveTheSameBitsAndChangeOnlyOnRefresh(ConvForm form) {
        ModelConfig m = Fixtures.TINY;
        ConvPlan plan = ConvPlan.fixed(form);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            WeightCache cache = new WeightCache(tf);
            // the same seeds in the same order: the two sets of networks start from the same weights
            List<Network> cached = networks(tf, plan, cache, "");
            List<Network> derived = networks(tf, plan, null, "u");
            SplittableRandom random = new SplittableRandom(7);
            Operand<TFloat32> z = tf.constant(Tensors.of(Shape.of(N, m.zDim()), uniform(random, N * m.zDim(), -2, 2)));
            Operand<TFloat32> y = tf.constant(Tensors.of(Shape.of(N, Y), uniform(random, N * Y, 0, 1)));
            Operand<TFloat32> x = tf.constant(Tensors.of(Shape.of(N, m.imageSize(), m.imageSize(), 3),
                    uniform(random, N * m.imageSize() * m.imageSize() * 3, -1, 1)));
            List<Operand<TFloat32>> fromCache = outputs(tf, cached, z, y, x), everyRun = outputs(tf, derived, z, y, x);
            assertThat(cache.variables()).as("G's, D's and E's derived weights are cached").isNotEmpty();
            Op refresh = cache.refresh(tf);
            List<Op> firstMove = moves(tf, cached, derived, new SplittableRandom(1), true);
            List<Op> secondMove = moves(tf, cached, derived, new SplittableRandom(2), false);
            try (Session session = Sessions.open(g, 1)) {
                run(session, firstMove);
                run(session, List.of(refresh));
                List<float[]> before = fetch(session, fromCache);
                assertSame(before, fetch(session, everyRun), "after a refresh");

                run(session, secondMove);
                List<float[]> moved = fetch(session, everyRun);
                assertThat(moved.get(0)).as("the second move changes G's faces").isNotEqualTo(before.get(0));
                assertSame(fetch(session, fromCache), before, "before the refresh, the cache's old weights");
                run(session, List.of(refresh));
                assertSame(fetch(session, fromCache), moved, "after the second refresh");
            }
        }
    }

    private static List<Network> networks(Ops tf, ConvPlan plan, WeightCache cache, String suffix) {
        ModelConfig m = Fixtures.TINY;
        return List.of(new Generator(new Params(tf, "G" + suffix, 1, Precision.FP32, plan, true, cache), m, Y),
                new Discriminator(new Params(tf, "D" + suffix, 2, Precision.FP32, plan, true, cache), m, Y),
                new Encoder(new Params(tf, "E" + suffix, 3, Precision.FP32, plan, true, cache), m));
    }

    private static List<Operand<TFloat32>> outputs(Ops tf, List<Network> nets, Operand<TFloat32> z, Operand<TFloat32> y,
                                                   Operand<TFloat32> x) {
        Discriminator.Judgement judgement = ((Discriminator) nets.get(1)).apply(tf, x, y, Mode.INFERENCE);
        return List.of(((Generator) nets.get(0)).apply(tf, z, y, Mode.INFERENCE), judgement.logits(),
                judgement.attributeLogits(), ((Encoder) nets.get(2)).apply(tf, x, Mode.INFERENCE));
    }

    /**
     * The same random values into both sets' batch-norm moving statistics, and with {@code all} their scales,
     * offsets and kernels too. The moving statistics reach the layers only through their cached folded weights.
     */
    private static List<Op> moves(Ops tf, List<Network> a, List<Network> b, SplittableRandom random, boolean all) {
        List<Op> moves = new ArrayList<>();
        for (int n = 0; n < a.size(); n++) {
            List<Variable<TFloat32>> va = all(a.get(n)), vb = all(b.get(n));
            for (int i = 0; i < va.size(); i++) {
                String name = va.get(i).op().name();
                int size = (int) va.get(i).shape().size();
                float[] values = name.endsWith("_var") ? uniform(random, size, 0.2, 3)
                        : name.endsWith("_mean") ? uniform(random, size, -0.5, 0.5)
                        : !all ? null
                        : name.endsWith("_gamma") ? uniform(random, size, 0.5, 2)
                        : name.endsWith("_beta") || name.endsWith("_w") ? uniform(random, size, -0.5, 0.5) : null;
                if (values == null) continue;
                moves.add(tf.assign(va.get(i), tf.constant(Tensors.of(va.get(i).shape(), values))));
                moves.add(tf.assign(vb.get(i), tf.constant(Tensors.of(vb.get(i).shape(), values))));
            }
        }
        return moves;
    }

    private static List<Variable<TFloat32>> all(Network net) {
        List<Variable<TFloat32>> all = new ArrayList<>(net.params().trainable());
        all.addAll(net.params().statistics());
        return all;
    }

    private static void run(Session session, List<Op> targets) {
        Session.Runner runner = session.runner();
        targets.forEach(runner::addTarget);
        runner.run();
    }

    private static List<float[]> fetch(Session session, List<Operand<TFloat32>> outputs) {
        Session.Runner runner = session.runner();
        outputs.forEach(runner::fetch);
        List<float[]> values = new ArrayList<>();
        try (var r = runner.run()) {
            for (int i = 0; i < outputs.size(); i++) values.add(Tensors.read((TFloat32) r.get(i)));
        }
        return values;
    }

    private static void assertSame(List<float[]> actual, List<float[]> expected, String when) {
        String[] names = {"G's faces", "D's logits", "D's attribute logits", "E's codes"};
        for (int i = 0; i < expected.size(); i++) assertThat(actual.get(i)).as("%s, %s", names[i], when).isEqualTo(expected.get(i));
    }

    private static float[] uniform(SplittableRandom random, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextDouble(lo, hi);
        return v;
    }
}
