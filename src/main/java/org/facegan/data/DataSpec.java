package org.facegan.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --data} value, resolved: which dataset, where, and how its images are taken. Its string form is
 * canonical (absolute paths, every option spelt out) and is what a run records, so a stored run can be compared
 * with a new command and reopened.
 *
 * <ul>
 *   <li>{@code synthetic} or {@code synthetic:COUNT}: the built-in faces ({@value #DEFAULT_SYNTHETIC_COUNT})</li>
 *   <li>{@code celeba:DIR}: CelebA as downloaded (split, crop)</li>
 *   <li>{@code lfw:DIR}: LFW or LFWcrop with lfw_attributes.txt (crop; continuous, standardised y)</li>
 *   <li>{@code folder:DIR}: photos plus attributes.csv (crop)</li>
 * </ul>
 * Options follow the location after commas: {@code celeba:/data/celeba,split=train,crop=108,attrs=Male;Smiling}.
 *
 * @param kind the dataset kind
 * @param count images, for the synthetic kind
 * @param dir the dataset folder, for celeba and folder
 * @param split which partition, for celeba
 * @param crop centre crop in px before resizing, for photos (0: the largest centred square)
 * @param attributes the attributes to train on, in order; empty for all
 */
public record DataSpec(Kind kind, int count, Path dir, Split split, int crop, List<String> attributes) {
    public static final int DEFAULT_SYNTHETIC_COUNT = 20_000;
    /** The built-in dataset's seed: every run of facegan sees the same built-in faces. */
    public static final long SYNTHETIC_SEED = 0;
    private static final String FORMS = "expected synthetic[:COUNT], celeba:DIR, lfw:DIR or folder:DIR";
    /** KIND[:LOCATION][,OPTION=VALUE...] */
    private static final Pattern FORM = Pattern.compile("([A-Za-z]+)(?::([^,]*))?(,.*)?");

    public enum Kind { SYNTHETIC, CELEBA, LFW, FOLDER }

    public DataSpec {
        attributes = List.copyOf(attributes);
        if (kind == Kind.SYNTHETIC && count < 1) {
            throw new IllegalArgumentException("--data synthetic:COUNT needs COUNT >= 1, found " + count);
        }
        if (crop < 0) throw new IllegalArgumentException("--crop must be 0 (largest square) or more, found " + crop);
    }

    /**
     * Parses a {@code --data} value (a user's, or the canonical form a run stored).
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static DataSpec parse(String spec) {
        Matcher m = FORM.matcher(spec);
        if (!m.matches()) throw new IllegalArgumentException("--data " + spec + ": " + FORMS);
        Kind kind;
        try {
            kind = Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--data " + spec + ": unknown dataset; " + FORMS);
        }
        String location = m.group(2) == null ? "" : m.group(2);
        String[] options = m.group(3) == null ? new String[0] : m.group(3).substring(1).split(",");
        int count = DEFAULT_SYNTHETIC_COUNT;
        Path dir = null;
        if (kind == Kind.SYNTHETIC) {
            if (!location.isEmpty()) {
                try {
                    count = Integer.parseInt(location);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--data " + spec + ": expected synthetic:COUNT with an integer COUNT");
                }
            }
        } else {
            if (location.isEmpty()) throw new IllegalArgumentException("--data " + spec + ": " + FORMS);
            dir = Path.of(location).toAbsolutePath().normalize();
        }
        Split split = Split.TRAIN;
        int crop = kind == Kind.CELEBA ? CelebaDataset.DEFAULT_CROP : 0;
        List<String> attributes = List.of();
        for (String option : options) {
            String[] kv = option.split("=", 2);
            String value = kv.length > 1 ? kv[1] : "";
            switch (kv[0]) {
                case "split" -> split = parseSplit(value);
                case "crop" -> crop = parseCrop(value);
                case "attrs" -> attributes = value.isEmpty() ? List.of() : List.of(value.split(";"));
                default -> throw new IllegalArgumentException("--data " + spec + ": unknown option '" + kv[0]
                        + "', expected split=, crop= or attrs=");
            }
        }
        return new DataSpec(kind, count, dir, split, crop, attributes);
    }

    /** This spec with the command line's --split, --crop and --attrs applied (null: keep). */
    public DataSpec with(Split newSplit, Integer newCrop, List<String> newAttributes) {
        return new DataSpec(kind, count, dir, newSplit != null ? newSplit : split, newCrop != null ? newCrop : crop,
                newAttributes != null ? newAttributes : attributes);
    }

    public static Split parseSplit(String value) {
        try {
            return Split.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--split " + value + ": expected train, valid, test or all");
        }
    }

    private static int parseCrop(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--crop " + value + ": expected a number of pixels");
        }
    }

    /** Short name for run directories. */
    public String shortName() {
        String base = switch (kind) {
            case SYNTHETIC -> count == DEFAULT_SYNTHETIC_COUNT ? "synthetic" : "synthetic" + count;
            case CELEBA -> "celeba" + (split == Split.TRAIN ? "" : "-" + split.name().toLowerCase(Locale.ROOT));
            case LFW -> "lfw";
            case FOLDER -> "folder-" + dir.getFileName();
        };
        return attributes.isEmpty() ? base : base + "-" + attributes.size() + "attrs";
    }

    /** Images a load will report, when known before loading (the built-in faces); -1 otherwise. */
    public int expectedImages() {
        return kind == Kind.SYNTHETIC ? count : -1;
    }

    /** For progress bars. */
    public String describe() {
        return kind == Kind.SYNTHETIC ? "rendering " + count + " built-in faces" : "loading " + dir;
    }

    /** Loads the dataset at {@code imageSize} px; {@code progress} receives the number of images ready. */
    public FaceDataset open(int imageSize, IntConsumer progress) {
        return open(imageSize, FaceCache.userDefault(), progress);
    }

    /** The same, with photos cached in {@code cache} (null: decode every time). */
    public FaceDataset open(int imageSize, FaceCache cache, IntConsumer progress) {
        FaceDataset all = switch (kind) {
            case SYNTHETIC -> new SyntheticDataset(SYNTHETIC_SEED, imageSize, count, cache, progress);
            case CELEBA -> CelebaDataset.open(dir, split, crop, imageSize, cache, progress);
            case LFW -> LfwDataset.open(dir, crop, imageSize, cache, progress);
            case FOLDER -> FolderDataset.open(dir, crop, imageSize, cache, progress);
        };
        return AttributeSelection.of(all, attributes);
    }

    /**
     * The first {@code count} images (all of them when count is 0); of the built-in faces only those are rendered.
     *
     * @throws IllegalArgumentException when the dataset has fewer images
     */
    public FaceDataset openFirst(int count, int imageSize, IntConsumer progress) {
        if (count < 0) throw new IllegalArgumentException("--count must be 0 (all) or more, found " + count);
        if (kind == Kind.SYNTHETIC && count > this.count) {
            throw new IllegalArgumentException("--count " + count + ": --data " + this + " has only " + this.count + " images");
        }
        DataSpec source = kind == Kind.SYNTHETIC && count > 0 ? new DataSpec(kind, count, dir, split, crop, attributes) : this;
        FaceDataset all = source.open(imageSize, progress);
        if (count > all.size()) {
            throw new IllegalArgumentException("--count " + count + ": --data " + this + " has only " + all.size() + " images");
        }
        return count == 0 || count == all.size() ? all : new DatasetHead(all, count);
    }

    /** Checks {@code --attrs} against the built-in attributes before any work (photo datasets check on loading). */
    public void checkAttributes() {
        if (kind == Kind.SYNTHETIC && !attributes.isEmpty()) {
            List<String> unknown = new ArrayList<>(attributes);
            unknown.removeAll(SyntheticFaces.ATTRIBUTES);
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("--attrs: unknown attribute " + String.join(", ", unknown)
                        + "; the built-in faces have " + String.join(", ", SyntheticFaces.ATTRIBUTES));
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(kind.name().toLowerCase(Locale.ROOT));
        switch (kind) {
            case SYNTHETIC -> {
                if (count != DEFAULT_SYNTHETIC_COUNT || !attributes.isEmpty()) s.append(':').append(count);
            }
            case CELEBA -> s.append(':').append(dir).append(",split=").append(split.name().toLowerCase(Locale.ROOT))
                    .append(",crop=").append(crop);
            case LFW, FOLDER -> s.append(':').append(dir).append(",crop=").append(crop);
        }
        if (!attributes.isEmpty()) s.append(",attrs=").append(String.join(";", attributes));
        return s.toString();
    }
}
