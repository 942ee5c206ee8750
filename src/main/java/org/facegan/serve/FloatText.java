package org.facegan.serve;

import java.nio.charset.StandardCharsets;

/**
 * A float as JSON number text that reads back as the same float: nine significant digits, which every float needs
 * at most, with the trailing zeros dropped ({@code 0.123456791}, {@code -0.5}, {@code 12.0}).
 *
 * <p>For magnitudes from 1e-4 to below 1e8, the range of images, codes and logits, the digits come from one exact
 * product: a float has 24 significant bits and 10^k for k up to 12 has 28 (2^k times 5^k, 5^12 < 2^28), so
 * {@code |v| * 10^k} is exact in a double and {@link Math#round} rounds it correctly. Nine correctly rounded digits
 * are within 0.5e-8 of |v| relative, well inside half a float's spacing (at least 2^-25 relative), so the text
 * parses back to the same bits. That is about three times the speed of Jackson's shortest-decimal (Schubfach)
 * writer, which found one face's 3,072 floats the largest single cost of an answer. Other values (0, subnormals,
 * the rest) are written as {@link Float#toString} writes them, NaN and the infinities quoted, as Jackson does.
 */
final class FloatText {
    /** Bytes a float's text takes at most: "-1.17549435E-38" and the quoted "-Infinity" fit. */
    static final int MAX_LENGTH = 16;

    private static final double[] POW10 = new double[13];
    /** 10^e at e + 4, for e from -4 to 7 (no float is exactly a negative power of ten, so the doubles' rounding is moot). */
    private static final double[] DECADES = {1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7};
    private static final byte[] TWO_DIGITS = new byte[200];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++, p *= 10) POW10[i] = p;
        for (int i = 0; i < 100; i++) {
            TWO_DIGITS[2 * i] = (byte) ('0' + i / 10);
            TWO_DIGITS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private FloatText() {}

    /** Writes {@code v} into {@code out} from {@code pos} (room for {@link #MAX_LENGTH} bytes); returns the end. */
    static int write(float v, byte[] out, int pos) {
        float a = Math.abs(v);
        if (!(a >= 1e-4 && a < 1e8)) return writeOther(v, out, pos); // compared as doubles: 1e-4f is below 1e-4
        int e = exponent(a);                               // 10^e <= a < 10^(e+1), e in [-4, 7]
        long digits = Math.round(a * POW10[8 - e]);         // nine digits, exact (see above)
        if (digits == 1_000_000_000L) {                     // rounded up into the next decade
            digits = 100_000_000L;
            e++;
        }
        if (v < 0) out[pos++] = '-';
        int integerDigits = e >= 0 ? e + 1 : 0;
        int kept = 9;
        while (kept > integerDigits + 1 && digits % 10 == 0) { // the fraction's trailing zeros, but one digit after the point
            digits /= 10;
            kept--;
        }
        if (e < 0) {
            out[pos++] = '0';
            out[pos++] = '.';
            for (int i = -1; i > e; i--) out[pos++] = '0';
            return writeDigits(digits, kept, out, pos);
        }
        int end = writeDigits(digits, kept, out, pos + 1);  // one to the right, then the integer part back left of the point
        System.arraycopy(out, pos + 1, out, pos, integerDigits);
        out[pos + integerDigits] = '.';
        return end;
    }

    /** e with 10^e <= a < 10^(e+1), for a in [1e-4, 1e8); images' values, below 1, take one or two comparisons. */
    private static int exponent(float a) {
        int e;
        if (a >= 1) {
            e = 0;
            while (e < 7 && a >= DECADES[e + 5]) e++;
        } else {
            e = -1;
            while (a < DECADES[e + 4]) e--;
        }
        return e;
    }

    /** {@code digits} (exactly {@code count} of them, no leading zero) at {@code pos}; returns the end. */
    private static int writeDigits(long digits, int count, byte[] out, int pos) {
        int end = pos + count, at = end;
        while (digits >= 100) {
            int pair = (int) (digits % 100);
            digits /= 100;
            out[--at] = TWO_DIGITS[2 * pair + 1];
            out[--at] = TWO_DIGITS[2 * pair];
        }
        if (digits >= 10) {
            out[--at] = TWO_DIGITS[2 * (int) digits + 1];
            out[--at] = TWO_DIGITS[2 * (int) digits];
        } else {
            out[--at] = (byte) ('0' + digits);
        }
        return end;
    }

    private static int writeOther(float v, byte[] out, int pos) {
        String text = Float.isNaN(v) || Float.isInfinite(v) ? '"' + Float.toString(v) + '"' : Float.toString(v);
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, out, pos, bytes.length);
        return pos + bytes.length;
    }
}
