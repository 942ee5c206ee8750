package org.facegan.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;

/** Exports a run's checkpoint as a SavedModel version, with a provenance record beside it. */
public final class RunExporter {
    public static final String PROVENANCE = "assets.extra/provenance.json";

    private RunExporter() {}

    /** Exports {@code checkpoint} of {@code run} to {@code base/version}; returns the version directory. */
    public static Path export(RunDirectory run, Checkpoints.Checkpoint checkpoint, Path base, long version) {
        RunDirectory.RunRecord record = run.read();
        int yDim = record.attributes().size();
        try (InferenceGraph inference = InferenceGraph.restore(record.options().model(), yDim, checkpoint.prefix(), 0)) {
            return SavedModelExport.export(inference, record.attributes(), base, version,
                    Map.of(PROVENANCE, provenance(run, record, checkpoint)));
        }
    }

    /** What made this model: run, options, step, versions, time (after Tribuo's ModelProvenance). */
    static String provenance(RunDirectory run, RunDirectory.RunRecord record, Checkpoints.Checkpoint checkpoint) {
        ObjectNode p = RunDirectory.JSON.createObjectNode();
        p.put("run", run.root().toAbsolutePath().toString());
        p.put("step", checkpoint.step());
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
