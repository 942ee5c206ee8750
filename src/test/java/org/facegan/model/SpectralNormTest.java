package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Spectral normalisation divides a weight by its largest singular value, as EJML's SVD computes it, once the power
 * iteration has run; calls that are not training updates never move the estimate.
 */
class SpectralNormTest {
    static final int K = 4, IN = 3, OUT = 8; // a conv kernel [4, 4, 3, 8]: the matrix [48, 8]

    @Test
    void theNormalisedKernelsLargestSingularValueIsOneAfterThePowerIteration() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Params params = new Params(tf, "T", 5);
            Conv2D conv = new Conv2D(params, "conv", K, IN, OUT, true, true);
            SpectralNorm sn = conv.spectralNorm();
            Variable<TFloat32> kernel = params.trainable().get(0);
            // a kernel of unit-variance draws (not N(0, 0.02)) so that σ is far from 1 before normalising
            float[] w = new float[K * K * IN * OUT];
            SplittableRandom random = new SplittableRandom(11);
            for (int i = 0; i < w.length; i++) w[i] = (float) (random.nextGaussian());
            Op set = tf.assign(kernel, tf.constant(Shape.of(K, K, IN, OUT), org.tensorflow.ndarray.buffer.DataBuffers.of(w)));
            Operand<TFloat32> normalised = sn.apply(tf);
            Op update = sn.update(tf);
            try (Session session = Sessions.open(graph, 1)) {
                session.runner().addTarget(set).run().close();
                double[] singular = singularValues(w, K * K * IN, OUT);
                double sigma = singular[0], gap = singular[1] / singular[0];
                assertThat(sigma).as("the raw kernel's σ").isGreaterThan(5);
                float[] u0 = read(session, sn.u());
                double[] estimates = new double[201];
                for (int n = 0; n <= 200; n++) {
                    if (n > 0) session.runner().addTarget(update).run().close();
                    estimates[n] = singularValues(read(session, normalised), K * K * IN, OUT)[0];
                }
                System.out.printf("σ1 %.4f, σ2/σ1 %.4f; σ1 of W/σ̂ after 0, 1, 2, 5, 10, 100, 200 power iterations: "
                                + "%.6f %.6f %.6f %.6f %.6f %.8f %.8f%n", sigma, gap, estimates[0], estimates[1],
                        estimates[2], estimates[5], estimates[10], estimates[100], estimates[200]);
                // σ̂ = vᵀWu' is a Rayleigh quotient: it never exceeds σ1, so W/σ̂ has σ1 ≥ 1 up to rounding, and it
                // approaches 1 as (σ2/σ1)^2n: here below 1e-15 after 200 iterations, far under float32's rounding
                assertThat(Math.pow(gap, 400)).isLessThan(1e-15);
                // float32 rounding: σ̂ sums m·n products of magnitude ≤ |W|max (v, u' unit vectors, Σ|vᵢ||uⱼ| ≤ √(mn))
                // and the two normalisations and the division round a few more times
                double maxAbs = 0;
                for (float x : w) maxAbs = Math.max(maxAbs, Math.abs(x));
                long terms = (long) K * K * IN * OUT;
                double bound = Tolerance.reorderedSum(terms, maxAbs * Math.sqrt(terms)) / sigma + 8 * Tolerance.FLOAT32;
                assertThat(estimates[200]).isCloseTo(1.0, within(bound));
                assertThat(Math.abs(estimates[1] - 1)).as("one iteration from a random u is not converged")
                        .isGreaterThan(Math.abs(estimates[200] - 1));
                for (int n = 1; n <= 200; n++) {
                    assertThat(estimates[n]).as("Rayleigh quotient after %d", n).isGreaterThanOrEqualTo(1 - bound);
                }
                // reading the normalised kernel (what inference does) leaves u alone; an update moves it
                float[] u = read(session, sn.u());
                assertThat(u).isNotEqualTo(u0);
                read(session, normalised);
                assertThat(read(session, sn.u())).containsExactly(u);
            }
        }
    }

    @Test
    void aSpectralDiscriminatorNormalisesEveryWeightAndHasNoBatchNormWhileEKeepsIts() {
        ModelConfig c = ModelConfig.load("faces32").withDNorm(DiscriminatorNorm.SPECTRAL);
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Discriminator d = new Discriminator(new Params(tf, "D", 2), c, 10);
            Encoder e = new Encoder(new Params(tf, "E", 3), c);
            List<String> dNames = d.params().trainable().stream().map(v -> v.op().name()).toList();
            assertThat(dNames).noneMatch(n -> n.contains("_bn_"))
                    .contains("D_conv1_b", "D_conv2_b", "D_conv3_b", "D_hidden_w", "D_logit_w", "D_attributes_w");
            // 3 convolutions, hidden, logit and the attribute head
            assertThat(d.spectralNorms()).hasSize(6);
            assertThat(d.params().statistics().stream().map(v -> v.op().name()).toList())
                    .containsExactly("D_conv1_sn_u", "D_conv2_sn_u", "D_conv3_sn_u", "D_hidden_sn_u", "D_logit_sn_u",
                            "D_attributes_sn_u");
            assertThat(e.params().trainable().stream().map(v -> v.op().name()).toList()).contains("E_conv2_bn_gamma");
        }
        ModelConfig batch = ModelConfig.load("faces32");
        try (Graph graph = new Graph()) {
            Discriminator d = new Discriminator(new Params(Ops.create(graph), "D", 2), batch, 10);
            assertThat(d.spectralNorms()).isEmpty();
            assertThat(d.powerIteration(Ops.create(graph))).isEmpty();
        }
    }

    private static float[] read(Session session, Operand<TFloat32> x) {
        try (Result r = session.runner().fetch(x).run()) {
            return Tensors.read((TFloat32) r.get(0));
        }
    }

    /** Singular values, largest first, of the row-major [rows, columns] matrix {@code w}, in double. */
    static double[] singularValues(float[] w, int rows, int columns) {
        DMatrixRMaj m = new DMatrixRMaj(rows, columns);
        for (int i = 0; i < w.length; i++) m.data[i] = w[i];
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows, columns, false, false, true);
        if (!svd.decompose(m)) throw new IllegalStateException("SVD failed");
        double[] s = svd.getSingularValues().clone();
        java.util.Arrays.sort(s);
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) out[i] = s[s.length - 1 - i];
        return out;
    }
}
