package org.facegan.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.facegan.latent.AttributeVectors;
import org.facegan.model.ConvPlan;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;

/** Exports a run's checkpoint as a SavedModel version, with a provenance record beside it. */
public final class RunExporter {
    public static final String PROVENANCE = "assets.extra/provenance.json";
    /** The run's attribute vectors, copied into the bundle when the run has them. */
    public static final String ATTRIBUTE_VECTORS = "assets.extra/" + AttributeVectors.FILE_NAME;

    private RunExporter() {}

    /** Exports {@code checkpoint} of {@code run} to {@code base/version}; returns the version directory. */
    public static Path export(RunDirectory run, Checkpoints.Checkpoint checkpoint, Path base, long version) {
        RunDirectory.RunRecord record = run.read();
        int yDim = record.attributes().size();
        // The direct ops, not this host's tuned forms: a SavedModel is served on other hosts and GPUs, whose runtimes
        // (TF Serving's oneDNN build, cuDNN, XLA) optimise the plain convolutions; a rewrite tuned here may be slow there.
        try (InferenceGraph inference = InferenceGraph.restore(record.options().model(), yDim,
                record.options().averagesGenerator(), checkpoint.prefix(), 0, ConvPlan.DIRECT)) {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put(PROVENANCE, provenance(run, record, checkpoint));
            Path vectors = run.root().resolve(AttributeVectors.FILE_NAME);
            if (Files.isRegularFile(vectors)) {
                try {
                    extra.put(ATTRIBUTE_VECTORS, Files.readString(vectors, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + vectors, e);
                }
            }
            return SavedModelExport.export(inference, record.attributes(), base, version, extra);
        }
    }

    /** What made this model: run, options, step, versions, time (after Tribuo's ModelProvenance). */
    static String provenance(RunDirectory run, RunDirectory.RunRecord record, Checkpoints.Checkpoint checkpoint) {
        ObjectNode p = RunDirectory.JSON.createObjectNode();
        p.put("run", run.root().toAbsolutePath().toString());
        p.put("step", checkpoint.step());
        p.put("checkpoint", checkpoint.dir().getFileName().toString());
        p.set("options", RunDirectory.JSON.valueToTree(record.options()));
        p.set("attributes", RunDirectory.JSON.valueToTree(record.attributes()));
        p.put("datasetSize", record.datasetSize());
        p.put("tensorflow", org.tensorflow.TensorFlow.version());
        p.put("java", System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("exportedAt", Instant.now().toString());
        try {
            return RunDirectory.JSON.writeValueAsString(p);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
