package org.facegan.cli;

import java.nio.file.Path;
import java.util.Locale;

/** Checks on {@code --out} values, made before any work starts. */
final class OutputFiles {
    private OutputFiles() {}

    /** @throws IllegalArgumentException unless {@code out} names a file with this extension (e.g. ".png") */
    static void require(Path out, String extension) {
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(extension)) {
            throw new IllegalArgumentException("--out " + out + ": expected a " + extension + " file name");
        }
    }
}
