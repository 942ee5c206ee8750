package org.facegan.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * LFW (Labeled Faces in the Wild) with Kumar et al.'s attribute confidences: {@code DIR/lfw_attributes.txt} and the
 * photos anywhere below DIR, either LFW's tree ({@code Aaron_Eckhart/Aaron_Eckhart_0001.jpg}) or LFWcrop's flat
 * folder ({@code faces/Aaron_Eckhart_0001.ppm}). A photo is joined to its attribute row by person and image
 * number; photos without a row are left out and counted. The attributes are real-valued classifier outputs, so
 * each one is standardised (mean 0, standard deviation 1 over the photos used) to serve as a continuous y.
 */
public final class LfwDataset {
    public static final String ATTRIBUTES_FILE = "lfw_attributes.txt";
    private static final System.Logger LOG = System.getLogger(LfwDataset.class.getName());

    private LfwDataset() {}

    /** What was joined: the rows with photos, and how many of each side had no partner. */
    record Joined(List<Path> files, float[][] values, List<String> names, int photosWithoutRow, int rowsWithoutPhoto) {}

    /**
     * @param crop centre crop in px before resizing (0: the largest centred square; LFWcrop is already cropped)
     * @throws IllegalArgumentException naming the file and line of the first problem, before any decoding
     */
    public static PackedDataset open(Path dir, int crop, int size, FaceCache cache, IntConsumer progress) {
        Joined joined = join(dir);
        if (joined.photosWithoutRow() > 0 || joined.rowsWithoutPhoto() > 0) {
            LOG.log(System.Logger.Level.WARNING, "lfw: " + joined.photosWithoutRow() + " photos have no row in "
                    + ATTRIBUTES_FILE + " and are left out; " + joined.rowsWithoutPhoto() + " rows have no photo");
        }
        standardise(joined.values());
        return PhotoDecoder.decode(joined.files(), joined.values(), joined.names(), crop, size, cache, progress);
    }

    static Joined join(Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--data lfw:" + dir + ": no such directory");
        Path table = dir.resolve(ATTRIBUTES_FILE);
        if (!Files.isRegularFile(table)) {
            throw new IllegalArgumentException("--data lfw:" + dir + ": expected " + table);
        }
        Map<String, Path> photos = photosByStem(dir);
        List<String> lines;
        try {
            lines = Files.readAllLines(table, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + table + ": " + e.getMessage(), e);
        }
        List<String> names = null;
        List<Path> files = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int rowsWithoutPhoto = 0;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            String where = table + ":" + (n + 1) + ": ";
            if (line.isBlank()) continue;
            if (line.startsWith("#")) {
                String[] header = line.substring(1).strip().split("\t");
                if (header.length > 2 && header[0].strip().equals("person") && header[1].strip().equals("imagenum")) {
                    names = Arrays.stream(header).skip(2).map(h -> h.strip().replace(' ', '_')).toList();
                }
                continue;
            }
            if (names == null) {
                throw new IllegalArgumentException(where + "expected the '#' header line naming person, imagenum and "
                        + "the attributes before the first row");
            }
            String[] f = line.split("\t");
            if (f.length != names.size() + 2) {
                throw new IllegalArgumentException(where + "expected " + (names.size() + 2)
                        + " tab-separated columns (person, imagenum, attributes), found " + f.length);
            }
            String stem;
            float[] y = new float[names.size()];
            try {
                stem = f[0].strip().replace(' ', '_') + String.format(Locale.ROOT, "_%04d", Integer.parseInt(f[1].strip()));
                for (int a = 0; a < y.length; a++) y[a] = Float.parseFloat(f[a + 2].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "expected an image number and numbers, found '" + line.strip() + "'");
            }
            Path photo = photos.remove(stem);
            if (photo == null) {
                rowsWithoutPhoto++;
                continue;
            }
            files.add(photo);
            rows.add(y);
        }
        if (names == null) throw new IllegalArgumentException(table + ": no '#' header line naming the columns");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--data lfw:" + dir + ": no photo matches a row of " + ATTRIBUTES_FILE);
        }
        return new Joined(files, rows.toArray(float[][]::new), names, photos.size(), rowsWithoutPhoto);
    }

    /** Photo files below dir by name without extension (Aaron_Eckhart_0001), in a stable order. */
    private static Map<String, Path> photosByStem(Path dir) {
        Map<String, Path> out = new HashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).filter(FaceImages::isPhoto).sorted().forEach(p -> {
                String name = p.getFileName().toString();
                Path previous = out.put(name.substring(0, name.lastIndexOf('.')), p);
                if (previous != null) {
                    throw new IllegalArgumentException("--data lfw:" + dir + ": two photos for one image: "
                            + previous + " and " + p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Each column to mean 0, standard deviation 1 (a constant column becomes 0). */
    static void standardise(float[][] values) {
        int n = values.length;
        for (int a = 0; a < values[0].length; a++) {
            double mean = 0, square = 0;
            for (float[] row : values) mean += row[a];
            mean /= n;
            for (float[] row : values) square += (row[a] - mean) * (row[a] - mean);
            double std = Math.sqrt(square / n);
            for (float[] row : values) row[a] = std > 0 ? (float) ((row[a] - mean) / std) : 0f;
        }
    }
}
