package org.facegan.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * CelebA as downloaded: {@code img_align_celeba/*.jpg}, {@code list_attr_celeba.txt} and, optionally,
 * {@code list_eval_partition.txt}. Attributes become 0/1; each photo is centre-cropped (108 px by default, as the
 * DCGAN-on-CelebA post does) and resized to the model's size.
 */
public final class CelebaDataset {
    /** The crop of carpedm20's DCGAN and the CelebA post: the face without most of the background. */
    public static final int DEFAULT_CROP = 108;

    private static final System.Logger LOG = System.getLogger(CelebaDataset.class.getName());

    private CelebaDataset() {}

    /** Files in the image folder beyond the listed ones (the listed ones were all checked to exist). */
    private static long countUnlisted(Path images, int listed) {
        try (var entries = Files.list(images)) {
            return Math.max(0, entries.count() - listed);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /**
     * Loads the images of {@code split} (every image when the partition file is absent).
     *
     * @throws IllegalArgumentException naming the file and line of the first problem, before any decoding
     */
    public static PackedDataset open(Path dir, Split split, int crop, int size, FaceCache cache,
                                     IntConsumer progress) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--data celeba:" + dir + ": no such directory");
        CelebaAttributes table = CelebaLayout.readAttributes(dir);
        boolean partitioned = Files.isRegularFile(dir.resolve(CelebaLayout.PARTITION_FILE));
        if (split != Split.ALL && split != Split.TRAIN && !partitioned) {
            throw new IllegalArgumentException("--split " + split.name().toLowerCase() + ": " + dir + " has no "
                    + CelebaLayout.PARTITION_FILE);
        }
        Map<String, Integer> partition = partitioned ? CelebaLayout.readPartition(dir) : Map.of();
        Path images = dir.resolve(CelebaLayout.IMAGES_DIR);
        List<Path> files = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            String name = table.files().get(i);
            if (partitioned && split != Split.ALL) {
                Integer code = partition.get(name);
                if (code == null) {
                    throw new IllegalArgumentException(dir.resolve(CelebaLayout.PARTITION_FILE) + ": " + name
                            + " is in " + CelebaLayout.ATTRIBUTES_FILE + " but has no partition");
                }
                if (code != split.code) continue;
            }
            Path file = images.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": listed in " + CelebaLayout.ATTRIBUTES_FILE + " but missing");
            }
            files.add(file);
            rows.add(table.values()[i]);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--data celeba:" + dir + ": no images in split " + split.name().toLowerCase());
        }
        long unlisted = countUnlisted(images, table.size());
        if (unlisted > 0) {
            LOG.log(System.Logger.Level.WARNING, "celeba: " + unlisted + " files in " + images + " are not listed in "
                    + CelebaLayout.ATTRIBUTES_FILE + " and are left out (facegan data inspect lists them)");
        }
        return PhotoDecoder.decode(files, rows.toArray(float[][]::new), table.names(), crop, size, cache, progress);
    }
}
