package org.facegan.data;

import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Decodes a list of photos in parallel (all cores) into a {@link PackedDataset}, or maps them from the
 * {@link FaceCache} when an earlier run already did.
 */
final class PhotoDecoder {
    private PhotoDecoder() {}

    /**
     * @param files the photos, in dataset order
     * @param attributes one vector per photo
     * @param crop centre crop in px before resizing (0: the largest centred square)
     * @param size the model's image size
     * @param cache where decoded faces are kept between runs, or null for none
     * @throws IllegalArgumentException naming the first photo that cannot be used
     */
    static PackedDataset decode(List<Path> files, float[][] attributes, List<String> names, int crop, int size,
                                FaceCache cache, IntConsumer progress) {
        if (files.isEmpty()) throw new IllegalArgumentException("no images to load");
        String key = cache == null ? null : FaceCache.key(files, crop, size);
        if (cache != null) {
            var cached = cache.read(key, files.size(), size);
            if (cached.isPresent()) {
                progress.accept(files.size());
                return new PackedDataset(names, size, cached.get(), attributes);
            }
        }
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
        if (cache != null) cache.write(key, files.size(), size, ByteBuffer.wrap(pixels));
        return new PackedDataset(names, size, ByteBuffer.wrap(pixels), attributes);
    }
}
