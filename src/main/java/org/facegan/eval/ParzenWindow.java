package org.facegan.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The Parzen-window estimate of log-likelihood that the GAN papers report (Goodfellow et al. 2014; seed 002, the
 * slides "Conditional Generative Adversarial Nets"): a
 * Gaussian kernel of bandwidth σ on each of G's samples, and the mean log-density of held-out real images under
 * that mixture, in nats per image: log p(x) = logsumexp_i(−‖x − s_i‖² / 2σ²) − log N − (d/2) log(2πσ²).
 * σ is the one of {@link #BANDWIDTHS} that maximises the likelihood of a separate validation split.
 */
public final class ParzenWindow {
    /** Candidate bandwidths, for pixels in [-1, 1]. */
    public static final double[] BANDWIDTHS = {0.05, 0.08, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1.0};

    private ParzenWindow() {}

    /** The bandwidth chosen on {@code validation} and the held-out log-likelihood under it. */
    public record Estimate(double bandwidth, double logLikelihood) {}

    /** Images are rows of {@code dim} floats. */
    public static Estimate estimate(float[] samples, float[] validation, float[] heldOut, int dim) {
        double[][] validationDistances = squaredDistances(validation, samples, dim);
        double best = Double.NEGATIVE_INFINITY, bandwidth = BANDWIDTHS[0];
        for (double sigma : BANDWIDTHS) {
            double ll = meanLogLikelihood(validationDistances, sigma, dim);
            if (ll > best) {
                best = ll;
                bandwidth = sigma;
            }
        }
        return new Estimate(bandwidth, meanLogLikelihood(squaredDistances(heldOut, samples, dim), bandwidth, dim));
    }

    /** Mean over test rows of the log-density, given each test row's squared distances to the samples. */
    static double meanLogLikelihood(double[][] squaredDistances, double sigma, int dim) {
        double normaliser = Math.log(squaredDistances[0].length) + dim / 2.0 * Math.log(2 * Math.PI * sigma * sigma);
        double total = 0;
        for (double[] row : squaredDistances) {
            double max = Double.NEGATIVE_INFINITY;
            for (double d : row) max = Math.max(max, -d / (2 * sigma * sigma));
            double sum = 0;
            for (double d : row) sum += Math.exp(-d / (2 * sigma * sigma) - max);
            total += max + Math.log(sum) - normaliser;
        }
        return total / squaredDistances.length;
    }

    /** ‖a_i − b_j‖² for every row pair, through one matrix product (EJML). */
    static double[][] squaredDistances(float[] a, float[] b, int dim) {
        DMatrixRMaj ma = matrix(a, dim), mb = matrix(b, dim);
        DMatrixRMaj dots = new DMatrixRMaj(ma.numRows, mb.numRows);
        CommonOps_DDRM.multTransB(ma, mb, dots);
        double[] na = squaredNorms(ma), nb = squaredNorms(mb);
        double[][] out = new double[ma.numRows][mb.numRows];
        for (int i = 0; i < ma.numRows; i++) {
            for (int j = 0; j < mb.numRows; j++) out[i][j] = Math.max(0, na[i] + nb[j] - 2 * dots.get(i, j));
        }
        return out;
    }

    private static DMatrixRMaj matrix(float[] rows, int dim) {
        DMatrixRMaj m = new DMatrixRMaj(rows.length / dim, dim);
        for (int i = 0; i < rows.length; i++) m.data[i] = rows[i];
        return m;
    }

    private static double[] squaredNorms(DMatrixRMaj m) {
        double[] out = new double[m.numRows];
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) out[i] += m.get(i, j) * m.get(i, j);
        }
        return out;
    }
}
