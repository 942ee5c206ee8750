package org.facegan.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord files, as {@code tf.io.TFRecordWriter} writes them: each record is its length (uint64, little-endian),
 * the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data.
 */
public final class TfRecords {
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecords() {}

    public static void write(Path file, List<byte[]> records) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (byte[] data : records) {
                byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
                out.write(length);
                out.write(int32(maskedCrc(length, 0, 8)));
                out.write(data);
                out.write(int32(maskedCrc(data, 0, data.length)));
            }
        }
    }

    /** The records of {@code file}; at most {@code maxRecords}, or an IOException naming the file. */
    public static List<byte[]> read(Path file, int maxRecords) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (in.hasRemaining()) {
            int at = in.position();
            if (records.size() == maxRecords) throw new IOException(file + " holds more than " + maxRecords + " records");
            if (in.remaining() < 12) throw corrupt(file, at, "a truncated header");
            long length = in.getLong();
            if (in.getInt() != maskedCrc(in.array(), at, 8)) throw corrupt(file, at, "a header whose checksum does not match");
            if (length < 0 || length > in.remaining() - 4) throw corrupt(file, at, "a length of " + length + " past the end");
            byte[] data = new byte[(int) length];
            in.get(data);
            if (in.getInt() != maskedCrc(data, 0, data.length)) throw corrupt(file, at, "data whose checksum does not match");
            records.add(data);
        }
        return records;
    }

    private static IOException corrupt(Path file, int offset, String what) {
        return new IOException(file + " is not a TFRecord file: the record at byte " + offset + " has " + what);
    }

    /** TensorFlow's masked CRC-32C (crc32c.h): rotated and offset so that a CRC of data holding CRCs stays strong. */
    static int maskedCrc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private static byte[] int32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
