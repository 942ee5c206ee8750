package org.facegan.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writing so that nothing is ever seen half written: write under a temporary name in the same directory, then
 * rename into place (a rename within one file system is atomic).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** A temporary sibling of {@code target}, hidden and named after it (never taken for a real entry). */
    public static Path temporarySibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    }

    /** Writes {@code bytes} to a temporary sibling, then renames it over {@code file}. */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path temp = temporarySibling(file);
        try {
            Files.write(temp, bytes);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp); // a full disk leaves no partial file behind
            throw e;
        }
    }

    /** Renames a finished {@code temp} file or directory to {@code target}; fails if {@code target} exists. */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target);
        }
    }

    /** Deletes a file or a directory tree; nothing happens if it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    /**
     * Deletes what interrupted writes left in {@code dir}: hidden entries whose name holds ".tmp" (this class's
     * temporary siblings and ImageGrid's temporary PNGs). Call it only while no other writer can be at work there
     * (under the run's lock). Returns how many entries it removed.
     */
    public static int removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int removed = 0;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.contains(".tmp")) {
                    deleteTree(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Deletes the temporary siblings ({@link #temporarySibling}) in {@code dir} whose writing process is gone: safe
     * beside other live writers.
     */
    public static void removeOrphans(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                var m = ORPHAN.matcher(p.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true)) {
                    deleteTree(p);
                }
            }
        }
    }

    private static final java.util.regex.Pattern ORPHAN = java.util.regex.Pattern.compile("\\..*\\.tmp-(\\d+)");

    /**
     * Checks that {@code dir} can be created (if missing) and that a file can be created in it, and leaves the file
     * system as it was: the file and any directories made for the check are removed again, so input refused later
     * writes nothing.
     */
    public static void checkWritable(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        Path firstMissing = null;
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) firstMissing = p;
        try {
            Files.createDirectories(absolute);
            Files.delete(Files.createTempFile(absolute, ".write-check", ".tmp"));
        } finally {
            if (firstMissing != null) {
                for (Path p = absolute; p != null && p.startsWith(firstMissing); p = p.getParent()) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        break; // not empty (another process wrote there): leave it
                    }
                }
            }
        }
    }

    /** {@link #deleteTree} for clean-up after another failure, whose error is the one worth reporting. */
    public static void deleteQuietly(Path root) {
        try {
            deleteTree(root);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }
}
