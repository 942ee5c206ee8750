package org.facegan.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of CelebA's {@code list_attr_celeba.txt}: attribute names, image file names and one 0/1 row per
 * image (the file's -1 becomes 0). The arrays are not copied; treat them as read-only.
 *
 * @param names attribute names, in column order
 * @param files image file names (e.g. {@code 000001.jpg}), in row order
 * @param values values[i][a] is attribute a of files[i], 0 or 1
 */
public record CelebaAttributes(List<String> names, List<String> files, float[][] values) {
    public CelebaAttributes {
        names = List.copyOf(names);
        files = List.copyOf(files);
        if (names.isEmpty()) throw new IllegalArgumentException("names must not be empty");
        if (values.length != files.size()) {
            throw new IllegalArgumentException("values must have one row per file (" + files.size() + "), found "
                    + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != names.size()) {
                throw new IllegalArgumentException("values[" + i + "] must have " + names.size()
                        + " entries (one per name), found " + values[i].length);
            }
        }
    }

    /** Number of images. */
    public int size() {
        return files.size();
    }

    /**
     * Parses a list_attr_celeba.txt: line 1 the image count, line 2 the names, then one line per image with the
     * file name and one value per name (1 or -1; 0 is read as -1). Fields may be separated by any whitespace;
     * blank lines are skipped.
     *
     * @throws IllegalArgumentException one line naming the file, the line number, what was expected and found
     * @throws UncheckedIOException if the file cannot be read
     */
    static CelebaAttributes parse(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Parser p = new Parser(file);
            for (String line = in.readLine(); line != null; line = in.readLine()) p.line(line);
            return p.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    private static final class Parser {
        private final Path file;
        private int lineNo;
        private int expectedCount = -1;
        private List<String> names;
        private final List<String> files = new ArrayList<>();
        private final List<float[]> rows = new ArrayList<>();
        private final Map<String, Integer> firstLine = new HashMap<>();

        Parser(Path file) {
            this.file = file;
        }

        void line(String line) {
            lineNo++;
            String trimmed = line.strip();
            if (trimmed.isEmpty()) return;
            String[] fields = trimmed.split("\\s+");
            if (expectedCount < 0) {
                expectedCount = count(fields);
            } else if (names == null) {
                names = Arrays.asList(fields);
            } else {
                row(fields);
            }
        }

        private int count(String[] fields) {
            try {
                if (fields.length == 1 && Integer.parseInt(fields[0]) >= 0) return Integer.parseInt(fields[0]);
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw error("expected the image count (one integer >= 0), found '" + String.join(" ", fields) + "'");
        }

        private void row(String[] fields) {
            if (fields.length != names.size() + 1) {
                throw error("expected " + (names.size() + 1) + " fields (file name and " + names.size()
                        + " attribute values), found " + fields.length);
            }
            Integer previous = firstLine.putIfAbsent(fields[0], lineNo);
            if (previous != null) throw error("duplicate file name " + fields[0] + " (first on line " + previous + ")");
            float[] values = new float[names.size()];
            for (int a = 0; a < values.length; a++) {
                String v = fields[a + 1];
                switch (v) {
                    case "1", "+1" -> values[a] = 1f;
                    case "-1", "0" -> values[a] = 0f;
                    default -> throw error("expected 1 or -1 for " + names.get(a) + " (field " + (a + 2) + "), found '"
                            + v + "'");
                }
            }
            files.add(fields[0]);
            rows.add(values);
        }

        CelebaAttributes finish() {
            if (names == null) {
                lineNo++;
                throw error(expectedCount < 0 ? "expected the image count, found the end of the file"
                        : "expected the attribute names, found the end of the file");
            }
            if (rows.size() != expectedCount) {
                throw new IllegalArgumentException(file + ": line 1 gives " + expectedCount + " images, found "
                        + rows.size() + " image lines");
            }
            return new CelebaAttributes(names, files, rows.toArray(new float[0][]));
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(file + ":" + lineNo + ": " + message);
        }
    }
}
