package org.facegan.data;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Decodes a list of photos in parallel (all cores) into a {@link PackedDataset}. */
final class PhotoDecoder {
    private PhotoDecoder() {}

    /**
     * @param files the photos, in dataset order
     * @param attributes one vector per photo
     * @param crop centre crop in px before resizing (0: the largest centred square)
     * @param size the model's image size
     * @throws IllegalArgumentException naming the first photo that cannot be used
     */
    static PackedDataset decode(List<Path> files, float[][] attributes, List<String> names, int crop, int size,
                                IntConsumer progress) {
        if (files.isEmpty()) throw new IllegalArgumentException("no images to load");
        int bytes = PackedDataset.bytesPerFace(size);
        if ((long) files.size() * bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(files.size() + " images of " + size + " px do not fit in memory at once");
        }
        byte[] pixels = new byte[files.size() * bytes];
        AtomicInteger done = new AtomicInteger();
        Object lock = new Object();
        try {
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                Path file = files.get(i);
                var face = FaceImages.cropAndResize(FaceImages.read(file), crop, size, file.toString());
                PackedDataset.pack(face, pixels, i * bytes);
                synchronized (lock) {
                    progress.accept(done.incrementAndGet());
                }
            });
        } catch (IllegalArgumentException e) {
            // a worker's exception comes back wrapped in a copy of itself; the original's message is the one to show
            throw e.getCause() instanceof IllegalArgumentException original ? original : e;
        }
        return new PackedDataset(names, size, pixels, attributes);
    }
}
