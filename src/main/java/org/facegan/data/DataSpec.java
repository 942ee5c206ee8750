package org.facegan.data;

import java.util.function.IntConsumer;

/**
 * A {@code --data} value: {@code synthetic} (the built-in faces, {@value #DEFAULT_SYNTHETIC_COUNT} of them) or
 * {@code synthetic:COUNT}.
 *
 * @param kind the dataset kind
 * @param count images, for the synthetic kind
 */
public record DataSpec(Kind kind, int count) {
    public static final int DEFAULT_SYNTHETIC_COUNT = 20_000;
    /** The built-in dataset's seed: every run of facegan sees the same built-in faces. */
    public static final long SYNTHETIC_SEED = 0;

    public enum Kind { SYNTHETIC }

    public DataSpec {
        if (count < 1) throw new IllegalArgumentException("--data synthetic:COUNT needs COUNT >= 1, found " + count);
    }

    /**
     * Parses a {@code --data} value.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static DataSpec parse(String spec) {
        String[] parts = spec.split(":", 2);
        if (parts[0].equals("synthetic")) {
            if (parts.length == 1) return new DataSpec(Kind.SYNTHETIC, DEFAULT_SYNTHETIC_COUNT);
            try {
                return new DataSpec(Kind.SYNTHETIC, Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--data " + spec + ": expected synthetic:COUNT with an integer COUNT");
            }
        }
        throw new IllegalArgumentException("--data " + spec + ": unknown dataset; expected synthetic or synthetic:COUNT");
    }

    /** Short name for run directories. */
    public String shortName() {
        return count == DEFAULT_SYNTHETIC_COUNT ? "synthetic" : "synthetic" + count;
    }

    /** For progress bars. */
    public String describe() {
        return "rendering " + count + " built-in faces";
    }

    /** Loads the dataset at {@code imageSize} px; {@code progress} receives the number of images ready. */
    public FaceDataset open(int imageSize, IntConsumer progress) {
        return new SyntheticDataset(SYNTHETIC_SEED, imageSize, count, progress);
    }

    @Override
    public String toString() {
        return count == DEFAULT_SYNTHETIC_COUNT ? "synthetic" : "synthetic:" + count;
    }
}
