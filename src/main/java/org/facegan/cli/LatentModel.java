package org.facegan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.facegan.export.InferenceGraph;
import org.facegan.export.RunExporter;
import org.facegan.export.SavedModelExport;
import org.facegan.model.Tensors;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * G, E and D's attribute head of a trained model, one batch at a time: a run's checkpoint or an exported
 * SavedModel bundle. {@link LoadedRun} does the batching on top.
 */
interface LatentModel extends AutoCloseable {
    /** E(x) for n images: [n, Z]. */
    float[] encode(float[] images, int n);

    /** G(z, y) for n rows: [n, S, S, 3]. */
    float[] generate(float[] z, float[] y, int n);

    /** D's attribute head for n images: [n, A] logits. */
    float[] attributeLogits(float[] images, int n);

    /** D's real-vs-fake logits for n images with their y: [n]. */
    float[] discriminate(float[] images, float[] y, int n);

    int size();

    int zDim();

    /** Attribute names in y's order. */
    List<String> attributes();

    /** The training step the weights come from. */
    long step();

    @Override
    void close();

    /** A run's checkpoint restored into an {@link InferenceGraph}. */
    final class FromCheckpoint implements LatentModel {
        private final RunDirectory.RunRecord record;
        private final Checkpoints.Checkpoint checkpoint;
        private final InferenceGraph graph;

        FromCheckpoint(RunDirectory.RunRecord record, Checkpoints.Checkpoint checkpoint) {
            this.record = record;
            this.checkpoint = checkpoint;
            this.graph = InferenceGraph.restore(record.options().model(), record.attributes().size(),
                    record.options().averagesGenerator(), checkpoint.prefix(), 0);
        }

        @Override public float[] encode(float[] images, int n) { return graph.encode(images, n); }
        @Override public float[] generate(float[] z, float[] y, int n) { return graph.generate(z, y, n); }
        @Override public float[] attributeLogits(float[] images, int n) { return graph.attributeLogits(images, n); }
        @Override public float[] discriminate(float[] images, float[] y, int n) { return graph.discriminate(images, y, n); }
        @Override public int size() { return record.options().model().imageSize(); }
        @Override public int zDim() { return record.options().model().zDim(); }
        @Override public List<String> attributes() { return record.attributes(); }
        @Override public long step() { return checkpoint.step(); }
        @Override public void close() { graph.close(); }
    }

    /** An exported SavedModel version directory, called through its signatures. */
    final class FromBundle implements LatentModel {
        private final SavedModelBundle bundle;
        private final int size, zDim;
        private final long step;
        private final List<String> attributes;

        FromBundle(Path dir) {
            Path provenance = dir.resolve(RunExporter.PROVENANCE);
            try {
                attributes = Files.readAllLines(dir.resolve(SavedModelExport.ATTRIBUTES_ASSET), StandardCharsets.UTF_8)
                        .stream().filter(l -> !l.isBlank()).toList();
                JsonNode p = RunDirectory.JSON.readTree(provenance.toFile());
                JsonNode model = p.path("options").path("model");
                size = model.path("imageSize").asInt(0);
                zDim = model.path("zDim").asInt(0);
                step = p.path("step").asLong(-1);
            } catch (IOException e) {
                throw new IllegalArgumentException("--run " + dir + ": cannot read the bundle's "
                        + SavedModelExport.ATTRIBUTES_ASSET + " or " + RunExporter.PROVENANCE + ": " + e.getMessage(), e);
            }
            if (size <= 0 || zDim <= 0) {
                throw new IllegalArgumentException("--run " + dir + ": " + provenance + " has no options.model.imageSize and zDim");
            }
            this.bundle = SavedModelBundle.load(dir.toString(), "serve");
        }

        private float[] call(String signature, Map<String, Tensor> inputs, String output) {
            try (Result r = bundle.function(signature).call(inputs)) {
                return Tensors.read((TFloat32) r.get(output).orElseThrow(() -> new IllegalStateException(
                        "signature " + signature + " has no output " + output)));
            } finally {
                inputs.values().forEach(Tensor::close);
            }
        }

        private TFloat32 images(float[] values, int n) {
            return Tensors.of(Shape.of(n, size, size, 3), values);
        }

        @Override
        public float[] encode(float[] images, int n) {
            return call("encode", Map.of("images", images(images, n)), "z");
        }

        @Override
        public float[] generate(float[] z, float[] y, int n) {
            TFloat32 zt = Tensors.matrix(n, zDim, z);
            TFloat32 yt;
            try {
                yt = Tensors.matrix(n, attributes.size(), y);
            } catch (RuntimeException e) {
                zt.close();
                throw e;
            }
            return call("serving_default", Map.of("z", zt, "y", yt), "images");
        }

        @Override
        public float[] attributeLogits(float[] images, int n) {
            // the attribute head reads the image alone; discriminate needs a y, which does not change it
            return judge(images, new float[n * attributes.size()], n, "attribute_logits");
        }

        @Override
        public float[] discriminate(float[] images, float[] y, int n) {
            return judge(images, y, n, "logits");
        }

        /** One output of the discriminate signature. */
        private float[] judge(float[] images, float[] y, int n, String output) {
            TFloat32 x = images(images, n);
            TFloat32 yt;
            try {
                yt = Tensors.matrix(n, attributes.size(), y);
            } catch (RuntimeException e) {
                x.close();
                throw e;
            }
            return call("discriminate", Map.of("images", x, "y", yt), output);
        }

        @Override public int size() { return size; }
        @Override public int zDim() { return zDim; }
        @Override public List<String> attributes() { return attributes; }
        @Override public long step() { return step; }
        @Override public void close() { bundle.close(); }
    }
}
