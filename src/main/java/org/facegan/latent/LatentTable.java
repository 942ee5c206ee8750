package org.facegan.latent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.facegan.io.AtomicFiles;

/**
 * Latent vectors as a TSV, one row per image: its name, then the Z components (no header row, so the vector
 * columns load as they are into numpy, pandas with {@code index_col=0}, or a spreadsheet). Written atomically.
 */
public final class LatentTable {
    private LatentTable() {}

    /**
     * @param names one name per row (tabs and newlines in names are replaced by spaces)
     * @param z [names.size(), zDim] row-major
     */
    public static void write(Path file, List<String> names, float[] z, int zDim) {
        if (z.length != names.size() * zDim) {
            throw new IllegalArgumentException("expected " + names.size() + " x " + zDim + " values, found " + z.length);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(names.get(i).replaceAll("[\t\r\n]", " "));
            for (int j = 0; j < zDim; j++) sb.append('\t').append(String.format(Locale.ROOT, "%.7g", z[i * zDim + j]));
            sb.append('\n');
        }
        try {
            AtomicFiles.write(file.toAbsolutePath(), sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
