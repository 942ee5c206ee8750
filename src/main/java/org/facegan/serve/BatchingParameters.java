package org.facegan.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@code facegan serve} merges concurrent predict requests, with the names and meaning of TF Serving's
 * {@code BatchingParameters} (tensorflow_serving/servables/tensorflow/session_bundle_config.proto), which its
 * BasicBatchScheduler applies (tensorflow/core/kernels/batching_util/shared_batch_scheduler.h).
 *
 * <p>Defaults follow TF Serving's guide for CPU-only hosts (tensorflow_serving/batching/README.md: max_batch_size "a
 * really high value", batch_timeout_micros 0, num_batch_threads the number of cores) and BasicBatchScheduler's own
 * defaults (max_batch_size 1000, max_enqueued_batches 10), with two changes. num_batch_threads is half the cores:
 * each run already spreads over all of them through TensorFlow's own threads, and on a 2-core host one batch thread
 * formed batches of about 10 rows instead of 6 from 32 clients, at 15-20% less server CPU per request. And
 * max_batch_size is rounded to facegan serve's
 * {@code --max-batch} default of 1024 (and {@code facegan serve} takes --max-batch's value when max_batch_size is not
 * given) so that turning batching on refuses no request that was answered before.
 *
 * @param maxBatchSize the most rows one batch holds; a request with more is refused, as TF Serving refuses a task
 *     larger than max_batch_size when large batch splitting is off. Default 1024.
 * @param batchTimeoutMicros how long, in microseconds, a batch that is not full may wait for more requests after its
 *     first one before it runs; 0: it runs as soon as a batch thread is free. Default 0.
 * @param numBatchThreads threads running batches, all models sharing them. Default: half the cores, at least 1.
 * @param maxEnqueuedBatches batches (the open one included) a queue may hold beyond those running; a request that
 *     would need one more is answered 503. Default 10.
 */
public record BatchingParameters(int maxBatchSize, long batchTimeoutMicros, int numBatchThreads, int maxEnqueuedBatches) {
    public static final int MAX_BATCH_SIZE_DEFAULT = 1024;
    public static final long BATCH_TIMEOUT_MICROS_DEFAULT = 0;
    public static final int MAX_ENQUEUED_BATCHES_DEFAULT = 10;

    /** The field names of TF Serving's text format, in the order of this record's components. */
    public static final String[] FIELDS = {"max_batch_size", "batch_timeout_micros", "num_batch_threads", "max_enqueued_batches"};

    public BatchingParameters {
        if (maxBatchSize < 1) throw new IllegalArgumentException("max_batch_size must be at least 1, found " + maxBatchSize);
        if (batchTimeoutMicros < 0) {
            throw new IllegalArgumentException("batch_timeout_micros must be at least 0, found " + batchTimeoutMicros);
        }
        if (numBatchThreads < 1 || numBatchThreads > 256) {
            throw new IllegalArgumentException("num_batch_threads must be in [1, 256], found " + numBatchThreads);
        }
        if (maxEnqueuedBatches < 1) {
            throw new IllegalArgumentException("max_enqueued_batches must be at least 1, found " + maxEnqueuedBatches);
        }
    }

    public static BatchingParameters defaults() {
        return new BatchingParameters(MAX_BATCH_SIZE_DEFAULT, BATCH_TIMEOUT_MICROS_DEFAULT,
                numBatchThreadsDefault(), MAX_ENQUEUED_BATCHES_DEFAULT);
    }

    /** Half the cores, at least 1. */
    public static int numBatchThreadsDefault() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public BatchingParameters withMaxBatchSize(int v) {
        return new BatchingParameters(v, batchTimeoutMicros, numBatchThreads, maxEnqueuedBatches);
    }

    public BatchingParameters withBatchTimeoutMicros(long v) {
        return new BatchingParameters(maxBatchSize, v, numBatchThreads, maxEnqueuedBatches);
    }

    public BatchingParameters withNumBatchThreads(int v) {
        return new BatchingParameters(maxBatchSize, batchTimeoutMicros, v, maxEnqueuedBatches);
    }

    public BatchingParameters withMaxEnqueuedBatches(int v) {
        return new BatchingParameters(maxBatchSize, batchTimeoutMicros, numBatchThreads, v);
    }

    /** field name -> value, in TF Serving's names (for logs and the batching status). */
    public Map<String, Long> asMap() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put(FIELDS[0], (long) maxBatchSize);
        out.put(FIELDS[1], batchTimeoutMicros);
        out.put(FIELDS[2], (long) numBatchThreads);
        out.put(FIELDS[3], (long) maxEnqueuedBatches);
        return out;
    }

    /** One token of protobuf's text format: a name, a number, or one of {}<>:;, (comments and blanks skipped). */
    private static final Pattern TOKEN = Pattern.compile("\\s+|#[^\\n]*|([A-Za-z_][A-Za-z0-9_]*)|(-?\\d+)|([{}<>:;,])|(.)");

    /**
     * Reads a file in TF Serving's format, protobuf text format of BatchingParameters, each field a wrapper message:
     * {@code max_batch_size { value: 64 }}. Only this record's four fields are taken; a field left out keeps its
     * value in {@code base}.
     *
     * @throws IllegalArgumentException one line naming the file, and the line and field that are wrong
     */
    public static BatchingParameters read(Path file, BatchingParameters base) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("batching parameters " + file + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, Long> values = new LinkedHashMap<>();
        new Object() {
            final Matcher m = TOKEN.matcher(text);
            String token;
            int line = 1;

            void parse() {
                next();
                while (token != null) {
                    String field = token;
                    if (!field.matches("[A-Za-z_]\\w*")) throw error("expected a field name, found '" + field + "'");
                    if (!java.util.Arrays.asList(FIELDS).contains(field)) {
                        throw error("unknown field " + field + " (facegan serve takes " + String.join(", ", FIELDS) + ")");
                    }
                    if (values.containsKey(field)) throw error("field " + field + " is given twice");
                    next();
                    if (":".equals(token)) next();
                    String close = "{".equals(token) ? "}" : "<".equals(token) ? ">" : null;
                    if (close == null) throw error("expected '{' after " + field + ", found " + describe());
                    next();
                    long value = 0; // an empty wrapper, field { }, is value 0, as in protobuf
                    if ("value".equals(token)) {
                        next();
                        expect(":", "after value");
                        if (token == null || !token.matches("-?\\d+")) throw error("expected a whole number for " + field + ", found " + describe());
                        try {
                            value = Long.parseLong(token);
                        } catch (NumberFormatException e) {
                            throw error("value of " + field + " is out of range: " + token);
                        }
                        next();
                        if (";".equals(token) || ",".equals(token)) next();
                    } else if (!close.equals(token)) {
                        throw error("expected 'value' inside " + field + ", found " + describe());
                    }
                    expect(close, "to close " + field);
                    if (";".equals(token) || ",".equals(token)) next();
                    values.put(field, value);
                }
            }

            void expect(String want, String where) {
                if (!want.equals(token)) throw error("expected '" + want + "' " + where + ", found " + describe());
                next();
            }

            String describe() {
                return token == null ? "the end of the file" : "'" + token + "'";
            }

            void next() {
                token = null;
                while (m.find()) {
                    String g = m.group();
                    if (m.group(1) == null && m.group(2) == null && m.group(3) == null && m.group(4) == null) {
                        line += (int) g.chars().filter(c -> c == '\n').count();
                        continue;
                    }
                    token = g;
                    return;
                }
            }

            IllegalArgumentException error(String what) {
                return new IllegalArgumentException("batching parameters " + file + ":" + line + ": " + what);
            }
        }.parse();
        BatchingParameters p = base;
        try {
            if (values.containsKey(FIELDS[0])) p = p.withMaxBatchSize(Math.toIntExact(values.get(FIELDS[0])));
            if (values.containsKey(FIELDS[1])) p = p.withBatchTimeoutMicros(values.get(FIELDS[1]));
            if (values.containsKey(FIELDS[2])) p = p.withNumBatchThreads(Math.toIntExact(values.get(FIELDS[2])));
            if (values.containsKey(FIELDS[3])) p = p.withMaxEnqueuedBatches(Math.toIntExact(values.get(FIELDS[3])));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("batching parameters " + file + ": a value is out of range: " + values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("batching parameters " + file + ": " + e.getMessage());
        }
        return p;
    }
}
