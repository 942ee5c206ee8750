package org.facegan.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The built-in faces as a {@link FaceDataset}: faces 0 .. count-1 of {@link SyntheticFaces} for one seed and size,
 * rendered once at construction on all cores and kept packed as uint8 HWC RGB (S * S * 3 bytes a face).
 */
public final class SyntheticDataset implements FaceDataset {
    private static final float[] TO_FLOAT = new float[256];

    static {
        for (int b = 0; b < 256; b++) TO_FLOAT[b] = ImageGrid.toFloat(b);
    }

    private final int size;
    private final int count;
    private final byte[] pixels;
    private final float[][] attributes;

    /** Renders {@code count} faces without reporting progress. */
    public SyntheticDataset(long seed, int size, int count) {
        this(seed, size, count, done -> {});
    }

    /**
     * Renders faces 0 .. count-1 in parallel.
     *
     * @param seed the dataset seed
     * @param size image size in px, 32 or 64
     * @param count number of faces, at least 1
     * @param progress receives the number of faces rendered so far (1 .. count, increasing, one call at a time,
     *     possibly from a worker thread)
     * @throws IllegalArgumentException if size or count is out of range
     */
    public SyntheticDataset(long seed, int size, int count, IntConsumer progress) {
        SyntheticFaces.checkSize(size);
        long bytes = (long) count * size * size * 3;
        if (count < 1 || bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("count must be between 1 and "
                    + (Integer.MAX_VALUE - 8) / (size * size * 3) + " at " + size + " px, found " + count);
        }
        this.size = size;
        this.count = count;
        this.pixels = new byte[(int) bytes];
        this.attributes = new float[count][];
        AtomicInteger done = new AtomicInteger();
        Object lock = new Object();
        IntStream.range(0, count).parallel().forEach(i -> {
            SyntheticFace face = SyntheticFaces.render(seed, i, size);
            pack(face.image(), pixels, i * size * size * 3);
            attributes[i] = face.attributes();
            synchronized (lock) {
                progress.accept(done.incrementAndGet());
            }
        });
    }

    private static void pack(BufferedImage img, byte[] dst, int offset) {
        int[] rgb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int p = 0, d = offset; p < rgb.length; p++, d += 3) {
            dst[d] = (byte) (rgb[p] >> 16);
            dst[d + 1] = (byte) (rgb[p] >> 8);
            dst[d + 2] = (byte) rgb[p];
        }
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public int imageSize() {
        return size;
    }

    @Override
    public List<String> attributeNames() {
        return SyntheticFaces.ATTRIBUTES;
    }

    @Override
    public void image(int i, float[] dst, int offset) {
        checkIndex(i);
        int n = size * size * 3;
        for (int k = 0, s = i * n; k < n; k++, s++) dst[offset + k] = TO_FLOAT[pixels[s] & 0xff];
    }

    @Override
    public float[] attributes(int i) {
        checkIndex(i);
        return attributes[i].clone();
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException("image index must be in [0, " + count + "), found " + i);
    }
}
