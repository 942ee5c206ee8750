package org.facegan.cli;

import java.util.List;
import org.facegan.export.InferenceGraph;
import org.facegan.latent.AttributeVectors;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;

/**
 * A run's latest checkpoint, restored into an inference graph, for the latent-space commands: batched G, E and
 * D's attribute head, and lookups of attributes by name.
 */
final class LoadedRun implements AutoCloseable {
    /** Rows per session call: bounds memory for long inputs. */
    private static final int BATCH = 64;

    final RunDirectory directory;
    final RunDirectory.RunRecord record;
    final Checkpoints.Checkpoint checkpoint;
    final InferenceGraph graph;
    final int size, zDim, yDim;

    private LoadedRun(RunDirectory directory, RunDirectory.RunRecord record, Checkpoints.Checkpoint checkpoint) {
        this.directory = directory;
        this.record = record;
        this.checkpoint = checkpoint;
        this.size = record.options().model().imageSize();
        this.zDim = record.options().model().zDim();
        this.yDim = record.attributes().size();
        this.graph = InferenceGraph.restore(record.options().model(), yDim, checkpoint.prefix(), 0);
    }

    static LoadedRun open(RunOption run) {
        RunDirectory directory = run.open();
        RunDirectory.RunRecord record = directory.read();
        return new LoadedRun(directory, record, run.latestCheckpoint(directory));
    }

    List<String> attributes() {
        return record.attributes();
    }

    int pixels() {
        return size * size * 3;
    }

    /** E(x) for n images, [n, Z]. */
    float[] encode(float[] images, int n) {
        float[] out = new float[n * zDim];
        for (int start = 0; start < n; start += BATCH) {
            int m = Math.min(BATCH, n - start);
            float[] chunk = new float[m * pixels()];
            System.arraycopy(images, start * pixels(), chunk, 0, chunk.length);
            System.arraycopy(graph.encode(chunk, m), 0, out, start * zDim, m * zDim);
        }
        return out;
    }

    /** G(z, y) for n rows, [n, S, S, 3]. */
    float[] generate(float[] z, float[] y, int n) {
        float[] out = new float[n * pixels()];
        for (int start = 0; start < n; start += BATCH) {
            int m = Math.min(BATCH, n - start);
            float[] zc = new float[m * zDim], yc = new float[m * yDim];
            System.arraycopy(z, start * zDim, zc, 0, zc.length);
            System.arraycopy(y, start * yDim, yc, 0, yc.length);
            System.arraycopy(graph.generate(zc, yc, m), 0, out, start * pixels(), m * pixels());
        }
        return out;
    }

    /**
     * y estimated from the image: sigmoid of D's attribute head, the probability D gives each attribute. D's
     * head is trained on real faces with their labels, so this is the y closest to what training fed G.
     */
    float[] estimateY(float[] images, int n) {
        float[] out = new float[n * yDim];
        for (int start = 0; start < n; start += BATCH) {
            int m = Math.min(BATCH, n - start);
            float[] chunk = new float[m * pixels()];
            System.arraycopy(images, start * pixels(), chunk, 0, chunk.length);
            float[] logits = graph.attributeLogits(chunk, m);
            for (int i = 0; i < logits.length; i++) out[start * yDim + i] = (float) (1 / (1 + Math.exp(-logits[i])));
        }
        return out;
    }

    /**
     * The index of an attribute in y.
     *
     * @throws IllegalArgumentException naming the option, the attribute and the run's attributes
     */
    int attribute(String option, String name) {
        int k = attributes().indexOf(name);
        if (k < 0) {
            throw new IllegalArgumentException(option + ": unknown attribute " + name + "; this run knows "
                    + String.join(", ", attributes()));
        }
        return k;
    }

    /** The run's attribute vectors, checked to match its attributes and z. */
    AttributeVectors attributeVectors() {
        AttributeVectors v = AttributeVectors.read(directory.root().resolve(AttributeVectors.FILE_NAME));
        if (!v.names().equals(attributes()) || v.zDim() != zDim) {
            throw new IllegalArgumentException(directory.root().resolve(AttributeVectors.FILE_NAME)
                    + " does not match the run's attributes or z size: run `facegan attributes --run "
                    + directory.root() + "` again");
        }
        return v;
    }

    @Override
    public void close() {
        graph.close();
    }
}
