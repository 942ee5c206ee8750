package org.facegan.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Any folder of photos with an {@code attributes.csv}: a header {@code file,attr1,attr2,...} then one line per
 * photo (its path relative to the folder, no quoting). A column holding only -1 and 1 is read as CelebA's
 * absent/present and becomes 0/1; 0/1 and real values are kept as they are.
 */
public final class FolderDataset {
    public static final String ATTRIBUTES_FILE = "attributes.csv";

    private FolderDataset() {}

    /**
     * @param crop centre crop in px before resizing; 0 takes the largest centred square
     * @throws IllegalArgumentException naming the file and line of the first problem, before any decoding
     */
    public static PackedDataset open(Path dir, int crop, int size, FaceCache cache, IntConsumer progress) {
        Table table = readTable(dir);
        for (Path file : table.files()) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": listed in " + dir.resolve(ATTRIBUTES_FILE) + " but missing");
            }
        }
        float[][] values = table.values().toArray(float[][]::new);
        mapSignsToBinary(values);
        return PhotoDecoder.decode(table.files(), values, table.names(), crop, size, cache, progress);
    }

    /** attributes.csv, parsed: names, the photos' paths (not checked to exist) and their raw values. */
    record Table(List<String> names, List<Path> files, List<float[]> values) {}

    /**
     * @throws IllegalArgumentException naming the file and line of the first malformed line
     */
    static Table readTable(Path dir) {
        Path csv = dir.resolve(ATTRIBUTES_FILE);
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("--data folder:" + dir + ": expected " + csv
                    + " (header file,attr1,attr2,...)");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) throw new IllegalArgumentException(csv + ": empty, expected a header file,attr1,...");
        String[] header = lines.get(0).strip().split(",", -1);
        if (header.length < 2 || !header[0].strip().equals("file")) {
            throw new IllegalArgumentException(csv + ":1: expected a header file,attr1,attr2,..., found '"
                    + lines.get(0).strip() + "'");
        }
        List<String> names = Arrays.stream(header).skip(1).map(String::strip).toList();
        List<Path> files = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) continue;
            String[] f = line.split(",", -1);
            String where = csv + ":" + (n + 1) + ": ";
            if (f.length != header.length) {
                throw new IllegalArgumentException(where + "expected " + header.length + " columns, found " + f.length);
            }
            String name = f[0].strip();
            if (!seen.add(name)) throw new IllegalArgumentException(where + "duplicate file " + name);
            Path file = dir.resolve(name);
            float[] y = new float[names.size()];
            for (int a = 0; a < y.length; a++) {
                try {
                    y[a] = Float.parseFloat(f[a + 1].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + names.get(a) + " must be a number, found '" + f[a + 1] + "'");
                }
                if (!Float.isFinite(y[a])) throw new IllegalArgumentException(where + names.get(a) + " is not finite");
            }
            files.add(file);
            rows.add(y);
        }
        if (files.isEmpty()) throw new IllegalArgumentException(csv + ": lists no images");
        return new Table(names, files, rows);
    }

    /** Columns of only -1 and 1 become 0 and 1. */
    static void mapSignsToBinary(float[][] values) {
        for (int a = 0; a < values[0].length; a++) {
            boolean signs = true;
            for (float[] row : values) signs &= row[a] == -1f || row[a] == 1f;
            if (!signs) continue;
            for (float[] row : values) row[a] = row[a] > 0 ? 1f : 0f;
        }
    }
}
