package org.facegan.serve;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Arrays;
import java.util.Base64;

/**
 * A JSON text built up as UTF-8 bytes: the server's answers, written straight from the output arrays. The caller
 * places the punctuation; strings are escaped by Jackson's encoder and floats written by {@link FloatText}.
 */
final class JsonBytes {
    private byte[] bytes;
    private int size;

    /** @param capacity a guess of the final size in bytes (the buffer grows past it as needed) */
    JsonBytes(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
    }

    JsonBytes raw(char ascii) {
        room(1);
        bytes[size++] = (byte) ascii;
        return this;
    }

    /** ASCII text as it is: punctuation or a literal such as {@code null}. */
    JsonBytes raw(String ascii) {
        room(ascii.length());
        for (int i = 0; i < ascii.length(); i++) bytes[size++] = (byte) ascii.charAt(i);
        return this;
    }

    /** {@code text} quoted, with JSON's escapes. */
    JsonBytes string(String text) {
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(text);
        room(escaped.length + 2);
        bytes[size++] = '"';
        System.arraycopy(escaped, 0, bytes, size, escaped.length);
        size += escaped.length;
        bytes[size++] = '"';
        return this;
    }

    /** {@code {"b64": "..."}}: TF Serving's form of binary strings. */
    JsonBytes base64(byte[] value) {
        byte[] encoded = Base64.getEncoder().encode(value);
        raw("{\"b64\":\"");
        room(encoded.length + 2);
        System.arraycopy(encoded, 0, bytes, size, encoded.length);
        size += encoded.length;
        bytes[size++] = '"';
        bytes[size++] = '}';
        return this;
    }

    /** {@code count} floats from {@code from}, comma-separated (no brackets). */
    JsonBytes floats(float[] values, int from, int count) {
        room((long) count * (FloatText.MAX_LENGTH + 1));
        for (int i = 0; i < count; i++) {
            if (i > 0) bytes[size++] = ',';
            size = FloatText.write(values[from + i], bytes, size);
        }
        return this;
    }

    byte[] toBytes() {
        return Arrays.copyOf(bytes, size);
    }

    private void room(long more) {
        if (size + more <= bytes.length) return;
        long wanted = Math.max(size + more, 2L * bytes.length);
        if (wanted > Integer.MAX_VALUE - 16) throw new IllegalStateException("an answer over 2 GB");
        bytes = Arrays.copyOf(bytes, (int) wanted);
    }
}
