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
import org.facegan.model.ConvTuner;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;

/** Exports a run's checkpoint as a SavedModel version, with a provenance record beside it. */
public final class RunExporter {
    public static final String PROVENANCE = "assets.extra/provenance.json";
    /** The run's attribute vectors, copied into the bundle when the run has them. */
    public static final String ATTRIBUTE_VECTORS = "assets.extra/" + AttributeVectors.FILE_NAME;

    /**
     * Provenance key: true when each row's outputs are the same bits alone or in a batch of any size (exports since
     * row-stable dense layers, {@link org.facegan.model.Dense}).
     */
    public static final String ROWS_INDEPENDENT_OF_BATCH = "rowsIndependentOfBatch";

    private RunExporter() {}

    /**
     * Exports {@code checkpoint} of {@code run} to {@code base/version} in TensorFlow's direct ops; returns the version
     * directory. The direct ops, not this host's tuned forms: a SavedModel is served on other hosts and GPUs, whose
     * runtimes (TF Serving's oneDNN build, cuDNN, XLA) optimise the plain convolutions; a rewrite tuned here may be
     * slow there.
     */
    public static Path export(RunDirectory run, Checkpoints.Checkpoint checkpoint, Path base, long version) {
        return export(run, checkpoint, base, version, ConvPlan.DIRECT);
    }

    /**
     * The same with each stride-2 layer in the form {@code convPlan} picks ({@code export --conv}): the same function of
     * the same weights, for a bundle that will be served on this kind of host. The plan is recorded in the provenance.
     */
    public static Path export(RunDirectory run, Checkpoints.Checkpoint checkpoint, Path base, long version,
                              ConvPlan convPlan) {
        RunDirectory.RunRecord record = run.read();
        int yDim = record.attributes().size();
        try (InferenceGraph inference = InferenceGraph.restore(record.options().model(), yDim,
                record.options().averagesGenerator(), checkpoint.prefix(), 0, convPlan)) {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put(PROVENANCE, provenance(run, record, checkpoint, convPlan));
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
    static String provenance(RunDirectory run, RunDirectory.RunRecord record, Checkpoints.Checkpoint checkpoint,
                             ConvPlan convPlan) {
        ObjectNode p = RunDirectory.JSON.createObjectNode();
        p.put("run", run.root().toAbsolutePath().toString());
        p.put("step", checkpoint.step());
        p.put("checkpoint", checkpoint.dir().getFileName().toString());
        p.set("options", RunDirectory.JSON.valueToTree(record.options()));
        p.set("attributes", RunDirectory.JSON.valueToTree(record.attributes()));
        p.put("datasetSize", record.datasetSize());
        p.put("conv", convPlan.toString());
        // InferenceGraph's dense layers are row-stable: facegan serve need not pad a lone row (see Predict.run)
        p.put(ROWS_INDEPENDENT_OF_BATCH, true);
        if (convPlan instanceof ConvTuner tuner) {
            ObjectNode forms = p.putObject("convForms");
            tuner.chosen().forEach((layer, choice) -> forms.put(layer, choice.form().toString()));
        }
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
