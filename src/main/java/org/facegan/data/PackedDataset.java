package org.facegan.data;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Faces as uint8 HWC RGB (S * S * 3 bytes a face) with their attribute vectors: what every loader produces once its
 * images are decoded, cropped and resized. The bytes live on the heap or in a memory-mapped cache file.
 */
public final class PackedDataset implements FaceDataset {
    private static final float[] TO_FLOAT = new float[256];

    static {
        for (int b = 0; b < 256; b++) TO_FLOAT[b] = ImageGrid.toFloat(b);
    }

    private final List<String> names;
    private final int size;
    private final ByteBuffer pixels;
    private final float[][] attributes;

    /**
     * @param names attribute names, in the order of each attribute vector
     * @param size S, every face is S x S
     * @param pixels attributes.length faces of S * S * 3 bytes, packed one after the other from position 0
     * @param attributes one vector per face, names.size() values each
     */
    public PackedDataset(List<String> names, int size, ByteBuffer pixels, float[][] attributes) {
        if ((long) attributes.length * size * size * 3 != pixels.capacity()) {
            throw new IllegalArgumentException("expected " + (long) attributes.length * size * size * 3
                    + " bytes for " + attributes.length + " faces of " + size + " px, found " + pixels.capacity());
        }
        this.names = List.copyOf(names);
        this.size = size;
        this.pixels = pixels;
        this.attributes = attributes;
    }

    /** Bytes one face of {@code size} px takes. */
    public static int bytesPerFace(int size) {
        return size * size * 3;
    }

    /** Packs an S x S image's RGB into {@code dst} at {@code offset}. */
    public static void pack(BufferedImage img, byte[] dst, int offset) {
        int w = img.getWidth(), h = img.getHeight();
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int p = 0, d = offset; p < rgb.length; p++, d += 3) {
            dst[d] = (byte) (rgb[p] >> 16);
            dst[d + 1] = (byte) (rgb[p] >> 8);
            dst[d + 2] = (byte) rgb[p];
        }
    }

    /** The packed pixels (read-only view), for writing a cache. */
    ByteBuffer pixels() {
        return pixels.asReadOnlyBuffer();
    }

    @Override
    public int size() {
        return attributes.length;
    }

    @Override
    public int imageSize() {
        return size;
    }

    @Override
    public List<String> attributeNames() {
        return names;
    }

    @Override
    public void image(int i, float[] dst, int offset) {
        checkIndex(i);
        int n = bytesPerFace(size);
        byte[] face = new byte[n];
        pixels.get(i * n, face); // one bulk copy: much faster than n single-byte reads from a mapped file
        for (int k = 0; k < n; k++) dst[offset + k] = TO_FLOAT[face[k] & 0xff];
    }

    @Override
    public float[] attributes(int i) {
        checkIndex(i);
        return attributes[i].clone();
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= attributes.length) {
            throw new IndexOutOfBoundsException("image index must be in [0, " + attributes.length + "), found " + i);
        }
    }
}
