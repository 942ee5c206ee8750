package org.facegan.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.facegan.io.AtomicFiles;

/**
 * A run's folder: {@code config.json} (the resolved options, enough to reproduce the run), {@code checkpoints/},
 * {@code samples/step-NNNNNN.png} and {@code metrics.csv}. Running the same command again resumes the run; a
 * command whose options differ in anything that changes what is computed is refused, naming the options.
 */
public final class RunDirectory {
    /** Options that may change between invocations of one run without changing what it computes. */
    private static final Set<String> MAY_CHANGE =
            Set.of("steps", "sampleEvery", "checkpointEvery", "keepCheckpoints", "threads", "conv");

    /** Reads and writes config.json (pretty-printed). */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    public RunDirectory(Path root) {
        this.root = root;
    }

    public Path root() { return root; }
    public Path configFile() { return root.resolve("config.json"); }
    public Path metricsFile() { return root.resolve("metrics.csv"); }
    public Path samplesDir() { return root.resolve("samples"); }
    public Checkpoints checkpoints(int keep) { return new Checkpoints(root.resolve("checkpoints"), keep); }

    public Path sampleFile(long step) {
        return samplesDir().resolve(String.format("step-%06d.png", step));
    }

    public boolean exists() {
        return Files.isRegularFile(configFile());
    }

    /** Reads the stored run record. */
    public RunRecord read() {
        try {
            return JSON.readValue(configFile().toFile(), RunRecord.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("run directory " + root + " has an unreadable config.json: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /**
     * Creates the run, or checks that the stored run is compatible with {@code record} and updates what may
     * change (such as the step count).
     *
     * @throws IllegalArgumentException naming the differing options, or the unwritable directory
     */
    public void openFor(RunRecord record) {
        if (exists()) refuseDifferences(differences(read(), record));
        try {
            Files.createDirectories(root);
            Files.createDirectories(samplesDir());
            AtomicFiles.write(configFile(), JSON.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write run directory " + root + ": " + e, e);
        }
    }

    /**
     * Checks, before any work starts, that an existing run was made with compatible options.
     *
     * @throws IllegalArgumentException naming the differing options
     */
    public void checkCompatible(TrainOptions options) {
        if (!exists()) return;
        List<String> out = new ArrayList<>();
        compare("", JSON.valueToTree(read().options()), JSON.valueToTree(options), out);
        refuseDifferences(out);
    }

    /**
     * Checks, before any work starts, that the run directory can be created and written.
     *
     * @throws IllegalArgumentException naming the directory
     */
    public void checkWritable() {
        try {
            AtomicFiles.checkWritable(root);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("run directory " + root + " is not writable (" + e.getMessage() + ")", e);
        }
    }

    private void refuseDifferences(List<String> differences) {
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("run directory " + root + " was made with different options ("
                    + String.join("; ", differences) + "): use another --run, or the same options to resume");
        }
    }

    static List<String> differences(RunRecord stored, RunRecord requested) {
        List<String> out = new ArrayList<>();
        compare("", JSON.valueToTree(stored.options()), JSON.valueToTree(requested.options()), out);
        if (!stored.attributes().equals(requested.attributes())) {
            out.add("attributes: stored " + stored.attributes() + ", now " + requested.attributes());
        }
        return out;
    }

    private static void compare(String path, JsonNode stored, JsonNode now, List<String> out) {
        if (stored instanceof ObjectNode a && now instanceof ObjectNode b) {
            Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                if (path.isEmpty() && MAY_CHANGE.contains(f.getKey())) continue;
                compare(path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getValue(), b.get(f.getKey()), out);
            }
        } else if (now == null || !stored.equals(now)) {
            out.add(path + ": stored " + stored + ", now " + now);
        }
    }

    /**
     * config.json: the options, and what the dataset turned out to be.
     *
     * @param attributes the conditioning attributes, in y's order
     * @param datasetSize images in the training set
     */
    public record RunRecord(TrainOptions options, List<String> attributes, int datasetSize) {}
}
