package org.facegan.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.facegan.io.AtomicFiles;

/**
 * The packed-faces cache: the decoded, cropped and resized pixels of a photo dataset, so that later runs map a file
 * instead of decoding every JPEG again. A cache file is named by a hash of what made it (crop, size, and every
 * photo's path, length and modification time, in order): a changed file list, photo or crop makes a new key.
 * Files are written under a temporary name and renamed, and a header check rejects anything incomplete.
 *
 * <p>Layout: {@code "FACEGAN1"}, count (int64), image size (int64), pixel bytes (int64), then the pixels.
 */
public final class FaceCache {
    private static final byte[] MAGIC = "FACEGAN1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 32;
    private static final System.Logger LOG = System.getLogger(FaceCache.class.getName());

    private final Path dir;

    public FaceCache(Path dir) {
        this.dir = dir;
    }

    /** {@code $FACEGAN_CACHE}, else {@code ~/.cache/facegan}. */
    public static FaceCache userDefault() {
        return new FaceCache(org.facegan.io.CacheDir.userDefault());
    }

    /** The cache key of these photos prepared with this crop and size. */
    public static String key(List<Path> files, int crop, int size) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("v1 crop=" + crop + " size=" + size + "\n").getBytes(StandardCharsets.UTF_8));
            for (Path f : files) {
                String line = f.toAbsolutePath() + "\t" + Files.size(f) + "\t" + Files.getLastModifiedTime(f).toMillis() + "\n";
                sha.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + e.getMessage(), e);
        }
    }

    public Path file(String key) {
        return dir.resolve(key + ".faces");
    }

    /** The cached pixels of {@code count} faces of {@code size} px, memory-mapped, if a complete file exists. */
    public Optional<ByteBuffer> read(String key, int count, int size) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) return Optional.empty();
        long bytes = (long) count * PackedDataset.bytesPerFace(size);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() != HEADER + bytes) return Optional.empty();
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(header, 0);
            header.flip();
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC) || header.getLong() != count || header.getLong() != size
                    || header.getLong() != bytes) {
                return Optional.empty();
            }
            return Optional.of(channel.map(FileChannel.MapMode.READ_ONLY, HEADER, bytes));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring unreadable cache " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Stores pixels under {@code key}; a failure only costs the next run a decode, so it is logged, not thrown. */
    public void write(String key, int count, int size, ByteBuffer pixels) {
        Path file = file(key);
        Path temp = AtomicFiles.temporarySibling(file);
        try {
            Files.createDirectories(dir);
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
                header.put(MAGIC).putLong(count).putLong(size).putLong(pixels.remaining()).flip();
                out.write(header);
                ByteBuffer body = pixels.duplicate();
                while (body.hasRemaining()) out.write(body);
                out.force(true);
            }
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(temp);
            LOG.log(System.Logger.Level.WARNING, "cannot write the face cache " + file + " (" + e.getMessage()
                    + "); the next run decodes the photos again");
        }
    }
}
