package org.facegan.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Face images named on the command line: files, or folders of PNG/JPEG files, each read by {@link FaceImages}
 * (largest centred square, resized to the model's size) as HWC RGB floats in [-1, 1].
 */
public final class ImageFiles {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private ImageFiles() {}

    /**
     * The files named: files as given, directories replaced by their PNG/JPEG files (not recursive, sorted by
     * name).
     *
     * @throws IllegalArgumentException naming a path that does not exist or a directory without images
     */
    public static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> list = Files.list(p)) {
                    List<Path> images = list.filter(f -> Files.isRegularFile(f) && isImageName(f)).sorted().toList();
                    if (images.isEmpty()) throw new IllegalArgumentException(p + ": directory holds no .png/.jpg/.jpeg files");
                    out.addAll(images);
                } catch (IOException e) {
                    throw new IllegalArgumentException(p + ": cannot list directory (" + e.getMessage() + ")", e);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException(p + ": no such file or directory");
            }
        }
        return out;
    }

    /**
     * Reads one image into dst: decoded by {@link FaceImages#read}, its largest centred square resized to S x S.
     *
     * @param size S
     * @param dst room for S * S * 3 floats from offset
     * @throws IllegalArgumentException naming the file if it cannot be read as an image
     */
    public static void read(Path file, int size, float[] dst, int offset) {
        ImageGrid.toFloats(FaceImages.cropAndResize(FaceImages.read(file), 0, size, file.toString()), dst, offset);
    }

    /** Reads several images: [n, S, S, 3]. */
    public static float[] readAll(List<Path> files, int size) {
        float[] out = new float[files.size() * size * size * 3];
        for (int i = 0; i < files.size(); i++) read(files.get(i), size, out, i * size * size * 3);
        return out;
    }

    private static boolean isImageName(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}
