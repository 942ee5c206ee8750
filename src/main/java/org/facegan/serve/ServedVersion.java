package org.facegan.serve;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.facegan.export.RunExporter;
import org.facegan.export.SavedModelExport;
import java.util.Map;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.SignatureDef;

/** One loaded version of a model: its SavedModel bundle and its signatures. */
final class ServedVersion implements AutoCloseable {
    final long version;
    final Path dir;
    final SavedModelBundle bundle;
    private final Map<String, SignatureDef> signatureDefs;
    /**
     * Whether each row's outputs are the same bits alone as in any batch, as a facegan export's provenance says for the
     * TensorFlow version it was exported with (a property of that runtime's kernels, so only trusted when this server
     * runs the same version); when not known, {@link Predict#run} runs a lone row as two.
     */
    final boolean rowsIndependentOfBatch;

    ServedVersion(long version, Path dir) {
        this.version = version;
        this.dir = dir;
        this.bundle = SavedModelBundle.load(dir.toString(), "serve");
        this.signatureDefs = bundle.metaGraphDef().getSignatureDefMap();
        this.rowsIndependentOfBatch = readsRowsIndependentOfBatch(dir);
    }

    private static boolean readsRowsIndependentOfBatch(Path dir) {
        Path provenance = dir.resolve(RunExporter.PROVENANCE);
        if (!Files.isRegularFile(provenance)) return false;
        try {
            var p = Predict.JSON.readTree(provenance.toFile());
            return p.path(RunExporter.ROWS_INDEPENDENT_OF_BATCH).asBoolean(false)
                    && org.tensorflow.TensorFlow.version().equals(p.path("tensorflow").asText());
        } catch (IOException e) {
            return false; // not facegan's, or damaged: pad, which is right for any model
        }
    }

    /** @throws ServeException 400 naming the signatures there are */
    Signature signature(String name) {
        for (Signature s : bundle.signatures()) if (s.key().equals(name)) return s;
        throw ServeException.badRequest("Serving signature name: \"" + name + "\" not found in signature def; this model has "
                + String.join(", ", signatureDefs.keySet()));
    }

    /** The signature defs as TF Serving's metadata API prints them (proto3 JSON, proto field names). */
    String signatureDefsJson() {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (var e : new java.util.TreeMap<>(signatureDefs).entrySet()) {
            if (!first) out.append(',');
            first = false;
            try {
                out.append('"').append(e.getKey()).append("\":")
                        .append(JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace().print(e.getValue()));
            } catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return out.append('}').toString();
    }

    /** The attribute names in y's order, from the bundle's assets (one per line). */
    List<String> attributes() {
        try {
            return Files.readAllLines(dir.resolve(SavedModelExport.ATTRIBUTES_ASSET)).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw ServeException.notFound("version " + version + " has no " + SavedModelExport.ATTRIBUTES_ASSET);
        }
    }

    @Override
    public void close() {
        bundle.close();
    }
}
