package org.facegan.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fixed grid that samples/step-N.png shows: the same z in every column, and one row per attribute setting
 * (first no attribute, then each attribute alone), so a row shows what its attribute does to the same faces.
 */
public final class SampleGrid {
    private static final long SAMPLE_STREAM = 0x5A3B1EL;

    private final int columns;
    private final List<String> rowLabels = new ArrayList<>();
    private final float[] z;
    private final float[] y;

    public SampleGrid(List<String> attributes, int zDim, int columns, long seed) {
        this.columns = columns;
        int rows = attributes.size() + 1;
        float[] columnZ = new float[columns * zDim];
        StepDraws.gaussian(new SplittableRandom(Seeds.derive(seed, SAMPLE_STREAM, 0)), columnZ);
        z = new float[rows * columns * zDim];
        y = new float[rows * columns * attributes.size()];
        for (int r = 0; r < rows; r++) {
            rowLabels.add(r == 0 ? "(none)" : attributes.get(r - 1));
            System.arraycopy(columnZ, 0, z, r * columns * zDim, columns * zDim);
            if (r > 0) {
                for (int c = 0; c < columns; c++) y[(r * columns + c) * attributes.size() + r - 1] = 1f;
            }
        }
    }

    public int rows() { return rowLabels.size(); }
    public int columns() { return columns; }
    public int count() { return rows() * columns; }
    public List<String> rowLabels() { return rowLabels; }
    public float[] z() { return z; }
    public float[] y() { return y; }
}
