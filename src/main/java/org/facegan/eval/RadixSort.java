package org.facegan.eval;

/**
 * Sorts floats ascending in linear time: each float's bits as an int key whose unsigned order is the floats' order
 * (sign bit flipped for positives, all bits for negatives), then a least-significant-digit radix sort in three passes
 * of 11, 11 and 10 bits. About ten times faster than {@code Arrays.sort} (2 ms against 20) for the 256 000
 * projections a direction of {@link SlicedWasserstein} sorts. The order is that of {@link Float#compare} for numbers
 * (−0 before +0); NaNs with the sign bit clear go last and those with it set go first.
 */
final class RadixSort {
    private static final int BITS = 11, BUCKETS = 1 << BITS, MASK = BUCKETS - 1;

    private RadixSort() {}

    /** Sorts {@code values} in place, with two scratch arrays at least as long. */
    static void sort(float[] values, int[] keys, int[] buffer) {
        int n = values.length;
        if (keys.length < n || buffer.length < n) {
            throw new IllegalArgumentException("scratch arrays must hold " + n + " keys, found " + keys.length + " and "
                    + buffer.length);
        }
        int[] low = new int[BUCKETS], middle = new int[BUCKETS], high = new int[BUCKETS];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            int key = bits ^ (bits >> 31 | 0x80000000);
            keys[i] = key;
            low[key & MASK]++;
            middle[key >>> BITS & MASK]++;
            high[key >>> 2 * BITS]++;
        }
        startOffsets(low);
        startOffsets(middle);
        startOffsets(high);
        for (int i = 0; i < n; i++) buffer[low[keys[i] & MASK]++] = keys[i];
        for (int i = 0; i < n; i++) keys[middle[buffer[i] >>> BITS & MASK]++] = buffer[i];
        for (int i = 0; i < n; i++) buffer[high[keys[i] >>> 2 * BITS]++] = keys[i];
        for (int i = 0; i < n; i++) {
            int key = buffer[i];
            values[i] = Float.intBitsToFloat(key ^ (~key >> 31 | 0x80000000));
        }
    }

    /** Counts to the index each bucket starts at. */
    private static void startOffsets(int[] counts) {
        int start = 0;
        for (int b = 0; b < counts.length; b++) {
            int count = counts[b];
            counts[b] = start;
            start += count;
        }
    }
}
