package org.facegan.data;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The built-in faces as a {@link FaceDataset}: faces 0 .. count-1 of {@link SyntheticFaces} for one seed and size,
 * rendered once at construction on all cores and kept packed as uint8 HWC RGB (S * S * 3 bytes a face), with
 * their {@link NuisanceFactors} (pose, lighting, colours, shape).
 */
public final class SyntheticDataset implements FaceDataset, NuisanceFactors {
    private final PackedDataset faces;
    private final float[][] factors;

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
        this(seed, size, count, null, progress);
    }

    /**
     * The same faces, packed into {@code cache} on first use (like photo datasets) and mapped from it afterwards:
     * rendering runs at about 2,000 faces/s, a packed file loads at tens of thousands. The pack's key is a hash of
     * the seed, size and count and of the renderer's own class files ({@link #key}), so another seed, size or
     * count, or a changed drawing, never reuses a wrong pack.
     *
     * @param cache where packs live, null to render every time
     */
    public SyntheticDataset(long seed, int size, int count, FaceCache cache, IntConsumer progress) {
        SyntheticFaces.checkSize(size);
        long bytes = (long) count * PackedDataset.bytesPerFace(size);
        if (count < 1 || bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("count must be between 1 and "
                    + (Integer.MAX_VALUE - 8) / PackedDataset.bytesPerFace(size) + " at " + size + " px, found " + count);
        }
        String key = cache == null ? null : key(seed, size, count);
        ByteBuffer packed = cache == null ? null : cache.read(key, count, size).orElse(null);
        if (packed != null) {
            float[][] attributes = new float[count][], factors = new float[count][];
            SyntheticNuisance nuisance = new SyntheticNuisance(seed);
            for (int i = 0; i < count; i++) {
                attributes[i] = SyntheticFaces.attributes(seed, i);
                factors[i] = nuisance.factors(SyntheticFaces.recipe(seed, i));
            }
            progress.accept(count);
            this.faces = new PackedDataset(SyntheticFaces.ATTRIBUTES, size, packed, attributes);
            this.factors = factors;
            return;
        }
        byte[] pixels = new byte[(int) bytes];
        float[][] attributes = new float[count][];
        float[][] factors = new float[count][];
        SyntheticNuisance nuisance = new SyntheticNuisance(seed);
        AtomicInteger done = new AtomicInteger();
        Object lock = new Object();
        IntStream.range(0, count).parallel().forEach(i -> {
            SyntheticFace face = SyntheticFaces.render(seed, i, size);
            PackedDataset.pack(face.image(), pixels, i * PackedDataset.bytesPerFace(size));
            attributes[i] = face.attributes();
            factors[i] = nuisance.factors(SyntheticFaces.recipe(seed, i));
            synchronized (lock) {
                progress.accept(done.incrementAndGet());
            }
        });
        this.faces = new PackedDataset(SyntheticFaces.ATTRIBUTES, size, ByteBuffer.wrap(pixels), attributes);
        this.factors = factors;
        if (cache != null) cache.write(key, count, size, ByteBuffer.wrap(pixels));
    }

    /** The renderer's classes: a change to any of them draws other pixels, so it makes another key. */
    private static final List<Class<?>> RENDERER = List.of(SyntheticFaces.class, FaceRecipe.class, FacePainter.class,
            Downsampler.class, PackedDataset.class, SyntheticFace.class);

    /** The pack's cache key: seed, size, count and a hash of the renderer's class files. */
    static String key(long seed, int size, int count) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(("synthetic v1 seed=" + seed + " size=" + size + " count=" + count + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Class<?> c : RENDERER) {
                try (java.io.InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                    if (in == null) throw new IllegalStateException("cannot read the class file of " + c.getName());
                    sha.update(in.readAllBytes());
                }
            }
            return "synthetic-" + java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException("cannot key the built-in faces' pack: " + e.getMessage(), e);
        }
    }

    @Override
    public int size() {
        return faces.size();
    }

    @Override
    public int imageSize() {
        return faces.imageSize();
    }

    @Override
    public List<String> attributeNames() {
        return faces.attributeNames();
    }

    @Override
    public void image(int i, float[] dst, int offset) {
        faces.image(i, dst, offset);
    }

    @Override
    public float[] attributes(int i) {
        return faces.attributes(i);
    }

    @Override
    public List<String> factorNames() {
        return SyntheticNuisance.NAMES;
    }

    @Override
    public float[] factors(int i) {
        java.util.Objects.checkIndex(i, factors.length);
        return factors[i].clone();
    }
}
