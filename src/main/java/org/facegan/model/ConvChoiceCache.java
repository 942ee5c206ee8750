package org.facegan.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.facegan.io.AtomicFiles;
import org.facegan.io.CacheDir;
import org.facegan.io.Host;

/**
 * The forms {@link ConvTuner} chose on one host with one TensorFlow, one JSON file per (host, TensorFlow version)
 * under the cache directory ({@code conv-forms/}): an entry per layer shape, batch and mode, with its timings.
 * The file is rewritten whole under a temporary name and renamed ({@link AtomicFiles}); a file that does not parse,
 * or was written for another host, TensorFlow or format, is ignored (and replaced by the next write), and so is an
 * entry naming a form this version does not know.
 */
public final class ConvChoiceCache {
    /**
     * The file format; a change makes older files stale. 2: inference layers timed on kernels arranged once, as
     * {@link WeightCache} runs them (1 rearranged them on every timed run).
     */
    static final int VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final System.Logger LOG = System.getLogger(ConvChoiceCache.class.getName());

    /**
     * A layer's choice and what it was chosen from.
     *
     * @param form the form built
     * @param millis its median time
     * @param directMillis the direct op's median, from the same interleaved rounds
     * @param candidates every candidate's median, by form
     */
    public record Choice(ConvForm form, double millis, double directMillis, Map<ConvForm, Double> candidates) {
        /** The chosen form's time over the direct op's. */
        public double ratio() {
            return millis / directMillis;
        }
    }

    private final Path file;
    private final String host;
    private final String tensorflow;

    /**
     * @param cacheDir the cache directory
     * @param host the host key ({@link Host#key})
     * @param tensorflow the TensorFlow version
     */
    public ConvChoiceCache(Path cacheDir, String host, String tensorflow) {
        this.host = host;
        this.tensorflow = tensorflow;
        this.file = cacheDir.resolve("conv-forms").resolve("conv-forms-" + digest(host + "\n" + tensorflow) + ".json");
    }

    /** The user's cache directory, this host, this process's TensorFlow. */
    public static ConvChoiceCache userDefault() {
        return new ConvChoiceCache(CacheDir.userDefault(), Host.current().key(), org.tensorflow.TensorFlow.version());
    }

    public Path file() {
        return file;
    }

    /** The entry's key: "train conv 64x64 3->32 k4 b64". */
    public static String key(ConvShape shape, int batch, boolean training) {
        return (training ? "train " : "infer ") + shape + " b" + batch;
    }

    /** The stored choice, if a valid entry exists. */
    public synchronized Optional<Choice> get(String key) {
        return Optional.ofNullable(readAll().get(key));
    }

    /** Stores a choice beside the others; a failure only costs the next run a tuning, so it is logged, not thrown. */
    public synchronized void put(String key, Choice choice) {
        Map<String, Choice> all = readAll();
        all.put(key, choice);
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("host", host);
        root.put("tensorflow", tensorflow);
        ObjectNode entries = root.putObject("entries");
        for (Map.Entry<String, Choice> e : all.entrySet()) {
            ObjectNode entry = entries.putObject(e.getKey());
            Choice c = e.getValue();
            entry.put("form", c.form().toString());
            entry.put("ms", c.millis());
            entry.put("direct_ms", c.directMillis());
            ObjectNode candidates = entry.putObject("candidates_ms");
            c.candidates().forEach((form, ms) -> candidates.put(form.toString(), ms));
        }
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, JSON.writeValueAsBytes(root));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write the layer-form cache " + file + " (" + e.getMessage()
                    + "); the next run tunes again");
        }
    }

    /** Every valid entry of the file; nothing if it is missing, corrupt or stale. */
    private Map<String, Choice> readAll() {
        Map<String, Choice> all = new LinkedHashMap<>();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return all;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring the unreadable layer-form cache " + file + ": " + e.getMessage());
            return all;
        }
        if (root == null || root.path("version").asInt(-1) != VERSION || !host.equals(root.path("host").asText())
                || !tensorflow.equals(root.path("tensorflow").asText()) || !root.path("entries").isObject()) {
            LOG.log(System.Logger.Level.INFO, "ignoring the stale layer-form cache " + file);
            return all;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("entries").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                all.put(e.getKey(), parse(e.getValue()));
            } catch (IllegalArgumentException invalid) {
                // a form this version does not know, or a broken entry: tuned again when needed
            }
        }
        return all;
    }

    private static Choice parse(JsonNode entry) {
        ConvForm form = ConvForm.parse(entry.path("form").asText(""));
        double ms = positive(entry.path("ms")), direct = positive(entry.path("direct_ms"));
        Map<ConvForm, Double> candidates = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("candidates_ms").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            candidates.put(ConvForm.parse(c.getKey()), positive(c.getValue()));
        }
        return new Choice(form, ms, direct, candidates);
    }

    private static double positive(JsonNode value) {
        if (!value.isNumber() || !(value.asDouble() > 0) || Double.isInfinite(value.asDouble())) {
            throw new IllegalArgumentException("expected a positive time, found " + value);
        }
        return value.asDouble();
    }

    private static String digest(String text) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha).substring(0, 16).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
