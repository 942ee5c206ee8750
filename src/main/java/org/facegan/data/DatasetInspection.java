package org.facegan.data;

import java.awt.Dimension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * What {@code facegan data inspect DIR} reports about a photo dataset, without decoding a pixel: the format found,
 * how many photos, their size range, how each attribute is balanced, and every problem (not just the first).
 *
 * @param format celeba, lfw or folder
 * @param images photos listed with attributes and found
 * @param minWidth smallest width, px (0 when no photo could be read)
 * @param attributes per-attribute balance
 * @param problems one line each, naming the file (and line) and what is wrong
 */
public record DatasetInspection(String format, int images, int minWidth, int minHeight, int maxWidth, int maxHeight,
                                List<Balance> attributes, List<String> problems) {

    /**
     * @param positives share of images with the attribute, for 0/1 attributes (NaN otherwise)
     * @param mean mean value
     * @param std standard deviation
     */
    public record Balance(String name, double positives, double mean, double std) {}


    /** Inspects DIR as whatever dataset layout it holds. */
    public static DatasetInspection of(Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": no such directory");
        if (Files.isRegularFile(dir.resolve(CelebaLayout.ATTRIBUTES_FILE))) return celeba(dir);
        if (Files.isRegularFile(dir.resolve(LfwDataset.ATTRIBUTES_FILE))) return lfw(dir);
        if (Files.isRegularFile(dir.resolve(FolderDataset.ATTRIBUTES_FILE))) return folder(dir);
        throw new IllegalArgumentException(dir + ": no dataset found (expected " + CelebaLayout.ATTRIBUTES_FILE
                + ", " + LfwDataset.ATTRIBUTES_FILE + " or " + FolderDataset.ATTRIBUTES_FILE + ")");
    }

    private static DatasetInspection celeba(Path dir) {
        List<String> problems = new ArrayList<>();
        CelebaAttributes table;
        try {
            table = CelebaLayout.readAttributes(dir);
        } catch (IllegalArgumentException e) {
            return failed("celeba", e.getMessage());
        }
        Path images = dir.resolve(CelebaLayout.IMAGES_DIR);
        Set<String> listed = new HashSet<>(table.files());
        for (Path p : photosIn(images)) {
            if (!listed.contains(images.relativize(p).toString())) problems.add(p + ": not listed in " + CelebaLayout.ATTRIBUTES_FILE);
        }
        if (Files.isRegularFile(dir.resolve(CelebaLayout.PARTITION_FILE))) {
            try {
                var partition = CelebaLayout.readPartition(dir);
                for (String f : table.files()) {
                    if (!partition.containsKey(f)) problems.add(dir.resolve(CelebaLayout.PARTITION_FILE) + ": no partition for " + f);
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        List<Path> files = table.files().stream().map(images::resolve).toList();
        return measure("celeba", files, List.of(table.values()), table.names(), problems);
    }

    private static DatasetInspection lfw(Path dir) {
        try {
            LfwDataset.Joined joined = LfwDataset.join(dir);
            List<String> problems = new ArrayList<>();
            if (joined.photosWithoutRow() > 0) problems.add(joined.photosWithoutRow() + " photos have no row in " + LfwDataset.ATTRIBUTES_FILE + " (left out)");
            if (joined.rowsWithoutPhoto() > 0) problems.add(joined.rowsWithoutPhoto() + " rows of " + LfwDataset.ATTRIBUTES_FILE + " have no photo");
            return measure("lfw", joined.files(), List.of(joined.values()), joined.names(), problems);
        } catch (IllegalArgumentException e) {
            return failed("lfw", e.getMessage());
        }
    }

    private static DatasetInspection folder(Path dir) {
        try {
            FolderDataset.Table table = FolderDataset.readTable(dir);
            return measure("folder", table.files(), table.values(), table.names(), new ArrayList<>());
        } catch (IllegalArgumentException e) {
            return failed("folder", e.getMessage());
        }
    }

    private static DatasetInspection failed(String format, String problem) {
        return new DatasetInspection(format, 0, 0, 0, 0, 0, List.of(), List.of(problem));
    }

    /** Reads each photo's header (not its pixels) and the attribute balance. */
    private static DatasetInspection measure(String format, List<Path> files, List<float[]> values, List<String> names,
                                             List<String> problems) {
        int found = 0, minW = Integer.MAX_VALUE, minH = Integer.MAX_VALUE, maxW = 0, maxH = 0;
        List<float[]> usable = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            String problem = null;
            Dimension d = null;
            try {
                if (!Files.isRegularFile(f)) problem = "missing";
                else if (Files.size(f) == 0) problem = "empty file";
                else if ((d = dimensions(f)) == null) problem = "not a readable image";
            } catch (IOException e) {
                problem = "cannot read (" + e.getMessage() + ")";
            }
            if (problem != null) {
                problems.add(f + ": " + problem);
                continue;
            }
            found++;
            usable.add(values.get(i));
            minW = Math.min(minW, d.width);
            minH = Math.min(minH, d.height);
            maxW = Math.max(maxW, d.width);
            maxH = Math.max(maxH, d.height);
        }
        List<Balance> balance = new ArrayList<>();
        for (int a = 0; a < names.size(); a++) {
            double mean = 0, square = 0, positives = 0;
            boolean binary = true;
            for (float[] y : usable) {
                mean += y[a];
                binary &= y[a] == 0f || y[a] == 1f;
                positives += y[a] == 1f ? 1 : 0;
            }
            int n = Math.max(1, usable.size());
            mean /= n;
            for (float[] y : usable) square += (y[a] - mean) * (y[a] - mean);
            balance.add(new Balance(names.get(a), binary ? positives / n : Double.NaN, mean, Math.sqrt(square / n)));
        }
        return found == 0
                ? new DatasetInspection(format, 0, 0, 0, 0, 0, balance, problems)
                : new DatasetInspection(format, found, minW, minH, maxW, maxH, balance, problems);
    }

    /** Width and height from the image header, or null when no reader accepts the file. */
    static Dimension dimensions(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) return null;
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return null;
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new Dimension(reader.getWidth(0), reader.getHeight(0));
            } catch (IOException | RuntimeException e) {
                return null;
            } finally {
                reader.dispose();
            }
        }
    }

    private static List<Path> photosIn(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(FaceImages::isPhoto).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
