package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.facegan.testing.Fixtures;
import org.facegan.testing.NetworkRoundoff;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Inference folds batch norm into the layer before it: G's images, E's codes and D's features are those of batch norm
 * as its own op, on moving statistics and scales far from their initial values, within float32 rounding.
 */
class FoldedBatchNormTest {
    static final int N = 4, Y = 3;

    @ParameterizedTest
    @ValueSource(ints = {0, 4}) // G's hidden channels at full resolution
    void foldedNetworksComputeTheUnfoldedOnes(int gTop) {
        ModelConfig m = Fixtures.TINY.withGeneratorTop(gTop);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Generator gen = new Generator(new Params(tf, "G", 1), m, Y);
            Discriminator d = new Discriminator(new Params(tf, "D", 2), m, Y);
            Encoder e = new Encoder(new Params(tf, "E", 3), m);
            SplittableRandom random = new SplittableRandom(5);
            Operand<TFloat32> z = tf.constant(Tensors.of(Shape.of(N, m.zDim()), uniform(random, N * m.zDim(), -2, 2)));
            Operand<TFloat32> y = tf.constant(Tensors.of(Shape.of(N, Y), uniform(random, N * Y, 0, 1)));
            Operand<TFloat32> x = tf.constant(Tensors.of(Shape.of(N, m.imageSize(), m.imageSize(), 3),
                    uniform(random, N * m.imageSize() * m.imageSize() * 3, -1, 1)));
            List<Op> moves = new ArrayList<>();
            for (Network net : List.of(gen, d, e)) {
                for (Variable<TFloat32> v : concat(net.params().trainable(), net.params().statistics())) {
                    String name = v.op().name();
                    int n = (int) v.shape().size();
                    float[] values = name.endsWith("_var") ? uniform(random, n, 0.2, 3) : name.endsWith("_gamma")
                            ? uniform(random, n, 0.5, 2) : name.endsWith("_beta") || name.endsWith("_mean")
                            ? uniform(random, n, -0.5, 0.5) : null;
                    if (values != null) moves.add(tf.assign(v, tf.constant(Tensors.of(v.shape(), values))));
                }
            }
            List<Operand<TFloat32>> folded = List.of(gen.apply(tf, z, y, Mode.INFERENCE), e.apply(tf, x, Mode.INFERENCE),
                    d.features(tf, x, Mode.INFERENCE));
            List<Operand<TFloat32>> unfolded = List.of(gen.apply(tf, z, y, Mode.INFERENCE_UNFOLDED),
                    e.apply(tf, x, Mode.INFERENCE_UNFOLDED), d.features(tf, x, Mode.INFERENCE_UNFOLDED));
            assertThat(countOps(g, "FusedBatchNormV3")).as("only the unfolded graphs normalise").isEqualTo(
                    (m.stages() + (gTop > 0 ? 1 : 0) /* G */ + 2 * (m.stages() - 1) /* D, E */));
            double[] bounds = {NetworkRoundoff.generator(m, Y), NetworkRoundoff.encoder(m), NetworkRoundoff.discriminator(m, Y) /* its trunk and more */};
            try (Session session = Sessions.open(g, 1)) {
                var runner = session.runner();
                moves.forEach(runner::addTarget);
                runner.run();
                for (int i = 0; i < folded.size(); i++) {
                    try (var r = session.runner().fetch(folded.get(i)).fetch(unfolded.get(i)).run()) {
                        float[] a = Tensors.read((TFloat32) r.get(0)), b = Tensors.read((TFloat32) r.get(1));
                        double scale = 0, worst = 0;
                        for (int j = 0; j < a.length; j++) {
                            scale = Math.max(scale, Math.abs(b[j]));
                            worst = Math.max(worst, Math.abs(a[j] - b[j]));
                        }
                        assertThat(scale).as("output %d's scale", i).isGreaterThan(0.01);
                        // the folded layer rounds its product and sum in other places: the networks' roundoff model
                        assertThat(worst).as("output %d", i).isLessThanOrEqualTo(bounds[i] * scale);
                    }
                }
            }
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static long countOps(Graph g, String type) {
        long[] n = {0};
        g.operations().forEachRemaining(op -> {
            if (op.type().equals(type)) n[0]++;
        });
        return n[0];
    }

    private static float[] uniform(SplittableRandom random, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextDouble(lo, hi);
        return v;
    }
}
