package org.facegan.train;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.facegan.model.Discriminator;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * {@code --g-moments}: moment matching on a fixed low-resolution feature (in the spirit of Li et al. 2015, "Generative
 * Moment Matching Networks", and the feature matching of Salimans et al. 2016). Each face's thumbnail, its 4×4
 * average pool (48 numbers in [-1, 1], the thumbnail D reads), has a mean μ and covariance Σ over the real faces, kept as exponential moving
 * averages updated by D's runs, which are fed the real batch. G pays for its batch's distance from them:
 *
 * <pre>  ‖μ_f − μ_r‖² / tr Σ_r  +  ‖Σ_f − Σ_r‖²_F / ‖Σ_r‖²_F</pre>
 *
 * each term relative to the real faces' own spread, so the weight means the same at any image scale. D judges one
 * face at a time, so a G that draws a low-frequency factor such as the light's gradient with too little spread is
 * not punished; a covariance over the batch is.
 *
 * <p>Both squared distances are estimated without bias: G's batch is split into two halves A and B, and
 * ‖Σ_f − Σ_r‖² is taken as ⟨Σ_A − Σ_r, Σ_B − Σ_r⟩ (the same for μ). One batch's ‖Σ̂_f − Σ_r‖² would add the
 * estimate's own variance, ≈ ((tr Σ_f)² + ‖Σ_f‖²_F) / (n − 1), whose gradient shrinks every eigenvalue of Σ_f by
 * tr Σ_f / (n − 1): about 0.17 at a batch of 32 on the built-in faces, four times the light gradient's eigenvalue
 * (≈ 0.04), so it would narrow the very spread the term is for. Rows i and i + N/2 (the pairs of
 * {@code --mode-seeking}, which share y) stay in one half, so the halves are independent; a half's covariance then
 * misses about 1 / (N/2 − 1) of the part y decides, a small bias left as it is.
 *
 * <p>The averages start at 0 with Adam's bias correction (divided by 1 − decay^t after t updates), so they are the
 * real batches' weighted mean from the first update on; G's loss reads them only after D's first step.
 */
final class LowResMoments {
    static final int FEATURES = Discriminator.THUMBNAIL_VALUES;
    static final float DECAY = 0.99f;

    // the moving averages before bias correction, and decay^t after t updates (1 before the first)
    final Variable<TFloat32> movingMean;       // [48]
    final Variable<TFloat32> movingCovariance; // [48, 48]
    final Variable<TFloat32> decayPower;       // []

    /** @param root ops at the graph's root scope: the variables get flat names, as the networks' do */
    LowResMoments(Ops root) {
        movingMean = root.withName("g_moments_real_mean").variable(root.constant(new float[FEATURES]));
        movingCovariance = root.withName("g_moments_real_covariance").variable(root.constant(new float[FEATURES][FEATURES]));
        decayPower = root.withName("g_moments_decay_power").variable(root.constant(1f));
    }

    /** The averages moved toward the moments of {@code realImages} [N, S, S, 3] (run with D's update). */
    List<Op> update(Ops tf, Operand<TFloat32> realImages) {
        Operand<TFloat32> t = thumbnails(tf, realImages);
        Operand<TFloat32> keep = tf.constant(DECAY), take = tf.constant(1 - DECAY);
        List<Op> ops = new ArrayList<>();
        ops.add(tf.assign(movingMean, tf.math.add(tf.math.mul(keep, movingMean), tf.math.mul(take, mean(tf, t)))));
        ops.add(tf.assign(movingCovariance, tf.math.add(tf.math.mul(keep, movingCovariance), tf.math.mul(take, covariance(tf, t)))));
        ops.add(tf.assign(decayPower, tf.math.mul(keep, decayPower)));
        return ops;
    }

    /**
     * The term's value on G's batch {@code fakes} [N, S, S, 3] of {@code batch} rows; gradients reach G through the
     * fakes' moments only.
     */
    Operand<TFloat32> loss(Ops tf, Operand<TFloat32> fakes, int batch) {
        Operand<TFloat32> t = thumbnails(tf, fakes);
        Operand<TFloat32> a = tf.gather(t, tf.constant(half(batch, 0)), tf.constant(0));
        Operand<TFloat32> b = tf.gather(t, tf.constant(half(batch, 1)), tf.constant(0));
        Operand<TFloat32> correction = tf.math.sub(tf.constant(1f), decayPower);
        Operand<TFloat32> realMean = tf.math.div(movingMean, correction);
        Operand<TFloat32> realCovariance = tf.math.div(movingCovariance, correction);
        Operand<TFloat32> meanTerm = tf.math.div(
                inner(tf, tf.math.sub(mean(tf, a), realMean), tf.math.sub(mean(tf, b), realMean)),
                inner(tf, realCovariance, identity(tf)));
        Operand<TFloat32> covarianceTerm = tf.math.div(
                inner(tf, tf.math.sub(covariance(tf, a), realCovariance), tf.math.sub(covariance(tf, b), realCovariance)),
                inner(tf, realCovariance, realCovariance));
        return tf.math.add(meanTerm, covarianceTerm);
    }

    /**
     * The rows of a batch in half {@code which} (0 or 1): row i is in half (i mod ⌊N/2⌋) mod 2, so that rows i and
     * i + N/2 are in the same one.
     */
    static int[] half(int batch, int which) {
        int pairs = batch / 2;
        return IntStream.range(0, batch).filter(i -> i % pairs % 2 == which).toArray();
    }

    /** Each face's 4×4 average pool, as D's thumbnail reads it: [N, 48]. */
    static Operand<TFloat32> thumbnails(Ops tf, Operand<TFloat32> images) {
        return Discriminator.thumbnail(tf, images, images.shape().get(1));
    }

    /** The mean over the rows of {@code t} [n, F]: [F]. */
    private static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> t) {
        return tf.math.mean(t, tf.constant(0));
    }

    /** The covariance of the rows of {@code t} [n, F], with Bessel's correction (n − 1): [F, F]. */
    private static Operand<TFloat32> covariance(Ops tf, Operand<TFloat32> t) {
        Operand<TFloat32> centred = tf.math.sub(t, mean(tf, t));
        Operand<TFloat32> n = tf.dtypes.cast(tf.gather(tf.shape(t), tf.constant(0), tf.constant(0)), TFloat32.class);
        return tf.math.div(tf.linalg.matMul(centred, centred, MatMul.transposeA(true)),
                tf.math.sub(n, tf.constant(1f)));
    }

    /** The sum of the elementwise products of two tensors of one shape (⟨x, y⟩, Frobenius for matrices). */
    private static Operand<TFloat32> inner(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y) {
        return tf.sum(tf.reshape(tf.math.mul(x, y), tf.constant(new int[] {-1})), tf.constant(0));
    }

    /** The F×F identity, whose inner product with a matrix is its trace. */
    private static Operand<TFloat32> identity(Ops tf) {
        float[][] eye = new float[FEATURES][FEATURES];
        for (int i = 0; i < FEATURES; i++) eye[i][i] = 1;
        return tf.constant(eye);
    }
}
