package org.facegan.latent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.facegan.io.AtomicFiles;

/**
 * One direction in z per attribute: the mean of E(x) over images that have the attribute minus the mean over
 * those that do not (Larsen et al. 2016, "Autoencoding beyond pixels"; seed 001, "Photo Editing with Generative
 * Adversarial Networks": 40 x 100 for CelebA).
 *
 * <p>Stored in a run as {@value #FILE_NAME}, tab-separated, UTF-8: a header row
 * {@code attribute  with  without  z0 ... z(Z-1)}, then one row per attribute in y's order: its name, how many
 * images had it and how many did not, and the Z components of its vector. An attribute that no image (or every
 * image) had gets the zero vector.
 *
 * @param names attribute names, in y's order
 * @param zDim Z
 * @param vectors [A, Z] row-major
 * @param with images that had each attribute
 * @param without images that did not
 */
public record AttributeVectors(List<String> names, int zDim, float[] vectors, int[] with, int[] without) {
    public static final String FILE_NAME = "attribute_vectors.tsv";

    public AttributeVectors {
        names = List.copyOf(names);
        if (vectors.length != names.size() * zDim || with.length != names.size() || without.length != names.size()) {
            throw new IllegalArgumentException("attribute vectors: expected " + names.size() + " x " + zDim
                    + " values, found " + vectors.length);
        }
    }

    /**
     * Difference of means from n encodings and their attributes (an attribute counts as present when >= 0.5).
     *
     * @param z [n, Z] row-major encodings E(x)
     * @param y [n, A] row-major attributes
     */
    public static AttributeVectors compute(List<String> names, float[] z, float[] y, int n, int zDim) {
        int a = names.size();
        if (z.length != n * zDim || y.length != n * a) {
            throw new IllegalArgumentException("expected " + n + " x " + zDim + " encodings and " + n + " x " + a
                    + " attributes, found " + z.length + " and " + y.length + " values");
        }
        double[] sumWith = new double[a * zDim], sumWithout = new double[a * zDim];
        int[] with = new int[a], without = new int[a];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < a; k++) {
                boolean has = y[i * a + k] >= 0.5f;
                double[] sum = has ? sumWith : sumWithout;
                if (has) with[k]++;
                else without[k]++;
                for (int j = 0; j < zDim; j++) sum[k * zDim + j] += z[i * zDim + j];
            }
        }
        float[] vectors = new float[a * zDim];
        for (int k = 0; k < a; k++) {
            if (with[k] == 0 || without[k] == 0) continue;
            for (int j = 0; j < zDim; j++) {
                vectors[k * zDim + j] = (float) (sumWith[k * zDim + j] / with[k] - sumWithout[k * zDim + j] / without[k]);
            }
        }
        return new AttributeVectors(names, zDim, vectors, with, without);
    }

    /** Attribute k's vector (a copy). */
    public float[] vector(int k) {
        float[] v = new float[zDim];
        System.arraycopy(vectors, k * zDim, v, 0, zDim);
        return v;
    }

    /** The length of attribute k's vector. */
    public double norm(int k) {
        double s = 0;
        for (int j = 0; j < zDim; j++) s += vectors[k * zDim + j] * (double) vectors[k * zDim + j];
        return Math.sqrt(s);
    }

    /** Whether attribute k has a direction (some images had it and some did not). */
    public boolean defined(int k) {
        return with[k] > 0 && without[k] > 0;
    }

    /**
     * The inner product of z with each normalised attribute vector (0 for attributes without a direction).
     *
     * @return A scores, in y's order
     */
    public float[] scores(float[] z) {
        if (z.length != zDim) throw new IllegalArgumentException("expected a z of " + zDim + " values, found " + z.length);
        float[] out = new float[names.size()];
        for (int k = 0; k < out.length; k++) {
            double dot = 0, norm = 0;
            for (int j = 0; j < zDim; j++) {
                double v = vectors[k * zDim + j];
                dot += v * z[j];
                norm += v * v;
            }
            out[k] = norm == 0 ? 0f : (float) (dot / Math.sqrt(norm));
        }
        return out;
    }

    /** Writes the TSV atomically. */
    public void write(Path file) {
        StringBuilder sb = new StringBuilder("attribute\twith\twithout");
        for (int j = 0; j < zDim; j++) sb.append("\tz").append(j);
        sb.append('\n');
        for (int k = 0; k < names.size(); k++) {
            sb.append(names.get(k)).append('\t').append(with[k]).append('\t').append(without[k]);
            for (int j = 0; j < zDim; j++) sb.append('\t').append(String.format(Locale.ROOT, "%.7g", vectors[k * zDim + j]));
            sb.append('\n');
        }
        try {
            AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a TSV written by {@link #write}.
     *
     * @throws IllegalArgumentException naming the file if it is missing or malformed
     */
    public static AttributeVectors read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + " not found: run `facegan attributes --run DIR` first", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("attribute\twith\twithout")) {
            throw new IllegalArgumentException(file + ": expected a header row starting attribute<TAB>with<TAB>without");
        }
        int zDim = lines.get(0).split("\t").length - 3;
        List<String> names = new ArrayList<>();
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        float[] vectors = new float[rows.size() * zDim];
        int[] with = new int[rows.size()], without = new int[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            String[] f = rows.get(k).split("\t");
            if (f.length != zDim + 3) {
                throw new IllegalArgumentException(file + " line " + (k + 2) + ": expected " + (zDim + 3)
                        + " tab-separated fields, found " + f.length);
            }
            try {
                names.add(f[0]);
                with[k] = Integer.parseInt(f[1]);
                without[k] = Integer.parseInt(f[2]);
                for (int j = 0; j < zDim; j++) vectors[k * zDim + j] = Float.parseFloat(f[j + 3]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " line " + (k + 2) + ": " + e.getMessage(), e);
            }
        }
        return new AttributeVectors(names, zDim, vectors, with, without);
    }
}
