package org.facegan.data;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.facegan.io.AtomicFiles;

/**
 * CelebA's on-disk layout, as distributed ("Align&amp;Cropped Images"):
 * <pre>
 *   DIR/img_align_celeba/000001.jpg ...   images, 6-digit 1-based names
 *   DIR/list_attr_celeba.txt              count; attribute names; "000001.jpg -1  1 ..." per image
 *   DIR/list_eval_partition.txt           "000001.jpg 0" per image: 0 train, 1 valid, 2 test
 * </pre>
 * Writes the built-in faces in this layout and reads the attribute and partition files.
 */
public final class CelebaLayout {
    /** Image folder inside the dataset directory. */
    public static final String IMAGES_DIR = "img_align_celeba";
    /** Attribute file inside the dataset directory. */
    public static final String ATTRIBUTES_FILE = "list_attr_celeba.txt";
    /** Partition file inside the dataset directory. */
    public static final String PARTITION_FILE = "list_eval_partition.txt";
    /** Partition values. */
    public static final int TRAIN = 0, VALID = 1, TEST = 2;
    /** JPEG quality of written images. */
    public static final float JPEG_QUALITY = 0.95f;
    /** Most images the 6-digit file names allow. */
    public static final int MAX_COUNT = 999_999;

    private static final long PARTITION_SALT = 0x5DEECE66DL;

    private CelebaLayout() {}

    /** The file name of 0-based image {@code index}: {@code 000001.jpg} for 0. */
    public static String fileName(int index) {
        return String.format("%06d.jpg", index + 1);
    }

    /**
     * Writes faces 0 .. count-1 of {@link SyntheticFaces} in CelebA's layout. Everything is written into a
     * temporary sibling directory that is renamed to {@code outDir} at the end, so {@code outDir} never holds a
     * partial dataset. The split is about 80% train, 10% valid, 10% test, drawn per image from the seed.
     *
     * @param outDir the dataset directory; must not exist or be empty
     * @param count number of faces, 1 .. {@value #MAX_COUNT}
     * @param size image size in px, 32 or 64
     * @param seed the dataset seed
     * @param progress receives the number of images written so far, one call at a time
     * @throws IllegalArgumentException if outDir exists and is not an empty directory, or count or size is bad
     * @throws UncheckedIOException naming the path that could not be written
     */
    public static void writeSynthetic(Path outDir, int count, int size, long seed, IntConsumer progress) {
        SyntheticFaces.checkSize(size);
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be between 1 and " + MAX_COUNT + ", found " + count);
        }
        Path target = outDir.toAbsolutePath().normalize();
        boolean replaceEmpty = checkUsable(target);
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
            float[][] attributes = writeImages(tmp.resolve(IMAGES_DIR), count, size, seed, progress);
            writeAttributes(tmp.resolve(ATTRIBUTES_FILE), attributes);
            writePartition(tmp.resolve(PARTITION_FILE), count, seed);
            if (replaceEmpty) Files.delete(target);
            AtomicFiles.moveIntoPlace(tmp, target);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dataset " + target + ": " + e, e);
        } finally {
            if (tmp != null) AtomicFiles.deleteQuietly(tmp);
        }
    }

    /**
     * Reads {@code dir/list_attr_celeba.txt}.
     *
     * @throws IllegalArgumentException naming the file, line, expected and found, if it is malformed or missing
     */
    public static CelebaAttributes readAttributes(Path dir) {
        return CelebaAttributes.parse(existing(dir.resolve(ATTRIBUTES_FILE)));
    }

    /**
     * Reads {@code dir/list_eval_partition.txt}.
     *
     * @return file name to {@link #TRAIN}, {@link #VALID} or {@link #TEST}, in file order
     * @throws IllegalArgumentException naming the file, line, expected and found, if it is malformed or missing
     */
    public static Map<String, Integer> readPartition(Path dir) {
        Path file = existing(dir.resolve(PARTITION_FILE));
        Map<String, Integer> out = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.strip().split("\\s+");
                if (f.length != 2 || !(f[1].equals("0") || f[1].equals("1") || f[1].equals("2"))) {
                    throw new IllegalArgumentException(file + ":" + lineNo
                            + ": expected a file name and 0, 1 or 2, found '" + line.strip() + "'");
                }
                if (out.put(f[0], Integer.parseInt(f[1])) != null) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": duplicate file name " + f[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        return out;
    }

    /** The split of image {@code index}: 0 train (80%), 1 valid (10%), 2 test (10%), a function of the seed. */
    static int partition(long seed, int index) {
        double u = (SyntheticFaces.mix(seed ^ PARTITION_SALT, index) >>> 11) * 0x1.0p-53;
        return u < 0.8 ? TRAIN : u < 0.9 ? VALID : TEST;
    }

    /** @return true if target is an existing empty directory that the move must replace */
    private static boolean checkUsable(Path target) {
        if (!Files.exists(target)) return false;
        if (!Files.isDirectory(target)) {
            throw new IllegalArgumentException("output directory " + target + " exists and is not a directory");
        }
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException("output directory " + target
                        + " is not empty; choose a new directory or empty it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + target + ": " + e, e);
        }
        return true;
    }

    private static float[][] writeImages(Path dir, int count, int size, long seed, IntConsumer progress)
            throws IOException {
        Files.createDirectory(dir);
        float[][] attributes = new float[count][];
        AtomicInteger done = new AtomicInteger();
        Object lock = new Object();
        try {
            IntStream.range(0, count).parallel().forEach(i -> {
                SyntheticFace face = SyntheticFaces.render(seed, i, size);
                Path file = dir.resolve(fileName(i));
                try {
                    Jpeg.write(face.image(), file, JPEG_QUALITY);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file + ": " + e, e);
                }
                attributes[i] = face.attributes();
                synchronized (lock) {
                    progress.accept(done.incrementAndGet());
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return attributes;
    }

    /** CelebA's formatting: values are right-aligned in two columns, so " 1" has two spaces before it. */
    private static void writeAttributes(Path file, float[][] attributes) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(attributes.length + "\n");
            out.write(String.join(" ", SyntheticFaces.ATTRIBUTES) + " \n");
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < attributes.length; i++) {
                line.setLength(0);
                line.append(fileName(i));
                for (float v : attributes[i]) line.append(v > 0.5f ? "  1" : " -1");
                out.write(line.append('\n').toString());
            }
        }
    }

    private static void writePartition(Path file, int count, long seed) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) out.write(fileName(i) + " " + partition(seed, i) + "\n");
        }
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": not found (expected CelebA's " + file.getFileName() + ")");
        }
        return file;
    }
}
