package org.facegan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.facegan.export.RunExporter;
import org.facegan.latent.AttributeVectors;
import org.facegan.train.RunDirectory;

/**
 * A trained model for the latent-space commands, from a run's latest checkpoint or from an exported SavedModel
 * bundle ({@code --run} naming a version directory that holds saved_model.pb): batched G, E and D's attribute
 * head, and lookups of attributes by name.
 */
final class LoadedRun implements AutoCloseable {
    /** Rows per model call: bounds memory for long inputs. */
    private static final int BATCH = 64;
    /** Where an exported bundle keeps the run's attribute vectors. */
    static final String BUNDLE_ATTRIBUTE_VECTORS = RunExporter.ATTRIBUTE_VECTORS;

    /** The run directory or the bundle's version directory. */
    final Path root;
    /** Whether {@link #root} is an exported bundle rather than a run. */
    final boolean bundle;
    final LatentModel model;
    final int size, zDim, yDim;
    /** The training step the weights come from. */
    final long step;

    private LoadedRun(Path root, boolean bundle, LatentModel model) {
        this.root = root;
        this.bundle = bundle;
        this.model = model;
        this.size = model.size();
        this.zDim = model.zDim();
        this.yDim = model.attributes().size();
        this.step = model.step();
    }

    static LoadedRun open(RunOption run) {
        if (RunOption.isBundle(run.dir)) {
            return new LoadedRun(run.dir, true, new LatentModel.FromBundle(run.dir));
        }
        RunDirectory directory = run.open();
        RunDirectory.RunRecord record = directory.read();
        return new LoadedRun(directory.root(), false,
                new LatentModel.FromCheckpoint(record, run.checkpoint(directory)));
    }

    List<String> attributes() {
        return model.attributes();
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
            System.arraycopy(model.encode(chunk, m), 0, out, start * zDim, m * zDim);
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
            System.arraycopy(model.generate(zc, yc, m), 0, out, start * pixels(), m * pixels());
        }
        return out;
    }

    /** D's real-vs-fake logits, [n]. */
    float[] discriminate(float[] images, float[] y, int n) {
        float[] out = new float[n];
        for (int start = 0; start < n; start += BATCH) {
            int m = Math.min(BATCH, n - start);
            float[] chunk = new float[m * pixels()], yc = new float[m * yDim];
            System.arraycopy(images, start * pixels(), chunk, 0, chunk.length);
            System.arraycopy(y, start * yDim, yc, 0, yc.length);
            System.arraycopy(model.discriminate(chunk, yc, m), 0, out, start, m);
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
            float[] logits = model.attributeLogits(chunk, m);
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

    /**
     * The attribute vectors, checked to match the model's attributes and z: a run's {@code attribute_vectors.tsv},
     * or the copy {@code facegan export} puts in a bundle's {@code assets.extra/}.
     */
    AttributeVectors attributeVectors() {
        Path file = root.resolve(bundle ? BUNDLE_ATTRIBUTE_VECTORS : AttributeVectors.FILE_NAME);
        if (bundle && !Files.exists(file)) {
            throw new IllegalArgumentException(file + " not found: this bundle was exported without attribute vectors;"
                    + " run `facegan attributes` on its run, then `facegan export` again");
        }
        AttributeVectors v = AttributeVectors.read(file);
        if (!v.names().equals(attributes()) || v.zDim() != zDim) {
            throw new IllegalArgumentException(file + " does not match the model's attributes or z size: run "
                    + (bundle ? "`facegan attributes` on its run and export again" : "`facegan attributes --run " + root + "` again"));
        }
        return v;
    }

    @Override
    public void close() {
        model.close();
    }
}
