package org.facegan.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet distance between two Gaussians fitted to feature vectors (Heusel et al. 2017, FID's formula):
 * ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^½). The trace of (Σ₁ Σ₂)^½ is computed as that of (Σ₁^½ Σ₂ Σ₁^½)^½, which has
 * the same eigenvalues and is symmetric, so both square roots come from symmetric eigendecompositions (EJML).
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** A Gaussian's mean and covariance. */
    public record Gaussian(double[] mean, DMatrixRMaj covariance) {
        /** Fitted to {@code rows} feature vectors (covariance with n − 1). */
        public static Gaussian fit(float[][] rows) {
            if (rows.length < 2) throw new IllegalArgumentException("a Gaussian needs at least 2 vectors, found " + rows.length);
            int d = rows[0].length;
            double[] mean = new double[d];
            for (float[] r : rows) for (int j = 0; j < d; j++) mean[j] += r[j] / (double) rows.length;
            DMatrixRMaj centred = new DMatrixRMaj(rows.length, d);
            for (int i = 0; i < rows.length; i++) for (int j = 0; j < d; j++) centred.set(i, j, rows[i][j] - mean[j]);
            DMatrixRMaj covariance = new DMatrixRMaj(d, d);
            CommonOps_DDRM.multTransA(centred, centred, covariance);
            CommonOps_DDRM.scale(1.0 / (rows.length - 1), covariance);
            return new Gaussian(mean, covariance);
        }
    }

    public static double between(float[][] a, float[][] b) {
        return between(Gaussian.fit(a), Gaussian.fit(b));
    }

    public static double between(Gaussian p, Gaussian q) {
        double meanTerm = 0;
        for (int j = 0; j < p.mean().length; j++) meanTerm += (p.mean()[j] - q.mean()[j]) * (p.mean()[j] - q.mean()[j]);
        DMatrixRMaj rootP = symmetricSqrt(p.covariance());
        DMatrixRMaj middle = new DMatrixRMaj(rootP.numRows, rootP.numCols), tmp = new DMatrixRMaj(rootP.numRows, rootP.numCols);
        CommonOps_DDRM.mult(rootP, q.covariance(), tmp);
        CommonOps_DDRM.mult(tmp, rootP, middle);
        symmetrize(middle);
        double crossTrace = 0;
        for (double eigenvalue : symmetricEigenvalues(middle)) crossTrace += Math.sqrt(Math.max(0, eigenvalue));
        double distance = meanTerm + CommonOps_DDRM.trace(p.covariance()) + CommonOps_DDRM.trace(q.covariance()) - 2 * crossTrace;
        return Math.max(0, distance); // rounding can leave -1e-12 for identical sets
    }

    /** S^½ of a symmetric positive semi-definite matrix (negative rounding eigenvalues clipped to 0). */
    static DMatrixRMaj symmetricSqrt(DMatrixRMaj s) {
        int n = s.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        DMatrixRMaj copy = s.copy();
        symmetrize(copy);
        if (!eig.decompose(copy)) throw new IllegalStateException("eigendecomposition of a covariance failed");
        DMatrixRMaj root = new DMatrixRMaj(n, n);
        for (int k = 0; k < n; k++) {
            double lambda = Math.sqrt(Math.max(0, eig.getEigenvalue(k).getReal()));
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) root.add(i, j, lambda * v.get(i) * v.get(j));
        }
        return root;
    }

    private static double[] symmetricEigenvalues(DMatrixRMaj s) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(s.numRows, false, true);
        if (!eig.decompose(s.copy())) throw new IllegalStateException("eigendecomposition failed");
        double[] values = new double[s.numRows];
        for (int k = 0; k < values.length; k++) values[k] = eig.getEigenvalue(k).getReal();
        return values;
    }

    private static void symmetrize(DMatrixRMaj m) {
        for (int i = 0; i < m.numRows; i++) {
            for (int j = i + 1; j < m.numCols; j++) {
                double v = (m.get(i, j) + m.get(j, i)) / 2;
                m.set(i, j, v);
                m.set(j, i, v);
            }
        }
    }
}
