package org.facegan.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.facegan.data.FaceDataset;
import org.facegan.model.ModelConfig;
import org.facegan.train.TrainOptions;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.facegan.model.Tensors;

/** Small models, datasets and helpers shared by the tests. */
public final class Fixtures {
    private Fixtures() {}

    /** A 32 px model small enough that a training step takes milliseconds. */
    public static final ModelConfig TINY = new ModelConfig("tiny", "tests", 32, 16, 8, 8, 8, 4, 16);

    /** A short run of {@code model} on {@code data}: batch 8, lr 2e-4, seed 7, no samples or checkpoints before the end, no averaged G. */
    public static TrainOptions options(String data, ModelConfig model, long steps, int threads) {
        return TrainOptions.builder().data(data).model(model).steps(steps).batch(8).learningRate(2e-4f).seed(7)
                .sampleEvery(1000).checkpointEvery(1000).threads(threads).generatorAverage(0f).build();
    }

    /**
     * Options for graph-level tests: TINY on noise faces, lr 1e-3 (a first step large enough to measure), no
     * averaged G; everything else {@code facegan train}'s defaults.
     */
    public static TrainOptions.Builder graphOptions() {
        return TrainOptions.builder().data("noise").model(TINY).batch(8).learningRate(1e-3f).generatorAverage(0f)
                .conv("direct"); // graph tests compare TensorFlow's own ops; ConvFormTrainingTest covers the forms
    }

    /** Random images (smooth noise) with random binary attributes: enough to exercise the plumbing. */
    public static FaceDataset noiseFaces(int count, int size, int attributes) {
        SplittableRandom random = new SplittableRandom(42);
        float[][] images = new float[count][size * size * 3];
        float[][] ys = new float[count][attributes];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < images[i].length; p++) images[i][p] = (float) random.nextDouble(-1, 1);
            for (int a = 0; a < attributes; a++) ys[i][a] = random.nextBoolean() ? 1f : 0f;
        }
        List<String> names = new ArrayList<>();
        for (int a = 0; a < attributes; a++) names.add("Attr_" + a);
        return new FaceDataset() {
            public int size() { return count; }
            public int imageSize() { return size; }
            public List<String> attributeNames() { return names; }
            public void image(int i, float[] dst, int offset) {
                System.arraycopy(images[i], 0, dst, offset, images[i].length);
            }
            public float[] attributes(int i) { return ys[i].clone(); }
        };
    }

    /** Every float variable of the session's graph (Adam's slots included), by name. */
    public static Map<String, float[]> allVariables(Session session) {
        List<String> names = new ArrayList<>();
        session.graph().operations().forEachRemaining(op -> {
            if (op.type().equals("VariableV2") && (op.output(0).dataType() == org.tensorflow.proto.DataType.DT_FLOAT || op.output(0).dataType() == org.tensorflow.proto.DataType.DT_FLOAT_REF)) {
                names.add(op.name());
            }
        });
        var runner = session.runner();
        names.forEach(runner::fetch);
        Map<String, float[]> out = new java.util.TreeMap<>();
        try (var result = runner.run()) {
            for (int i = 0; i < names.size(); i++) out.put(names.get(i), Tensors.read((TFloat32) result.get(i)));
        }
        return out;
    }

    /** Asserts that {@code actual} names the same variables as {@code expected}, with the same values bit for bit. */
    public static void assertSameValues(Map<String, float[]> expected, Map<String, float[]> actual) {
        org.assertj.core.api.Assertions.assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String name : expected.keySet()) {
            org.assertj.core.api.Assertions.assertThat(actual.get(name)).as(name).containsExactly(expected.get(name));
        }
    }

    /** Mean |a - b| over every element of the variables both maps name (the same names in both). */
    public static double meanAbsoluteDifference(Map<String, float[]> a, Map<String, float[]> b) {
        if (!a.keySet().equals(b.keySet()) || a.isEmpty()) throw new IllegalArgumentException("different variables");
        double sum = 0;
        long n = 0;
        for (String name : a.keySet()) {
            float[] x = a.get(name), y = b.get(name);
            for (int i = 0; i < x.length; i++) sum += Math.abs(x[i] - y[i]);
            n += x.length;
        }
        return sum / n;
    }

    /** The same faces with one NaN pixel in each while {@code poisoned} is set (a diverging batch). */
    public static FaceDataset poisonable(FaceDataset clean, java.util.function.BooleanSupplier poisoned) {
        return new FaceDataset() {
            public int size() { return clean.size(); }
            public int imageSize() { return clean.imageSize(); }
            public List<String> attributeNames() { return clean.attributeNames(); }
            public void image(int i, float[] dst, int offset) {
                clean.image(i, dst, offset);
                if (poisoned.getAsBoolean()) dst[offset] = Float.NaN;
            }
            public float[] attributes(int i) { return clean.attributes(i); }
        };
    }

    /** Current values of the variables, by name. */
    public static Map<String, float[]> values(Session session, List<Variable<TFloat32>> variables) {
        var runner = session.runner();
        variables.forEach(runner::fetch);
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        try (var result = runner.run()) {
            for (int i = 0; i < variables.size(); i++) {
                out.put(variables.get(i).op().name(), Tensors.read((TFloat32) result.get(i)));
            }
        }
        return out;
    }

    /** Copies the directory tree {@code from} to {@code to} (which must not exist yet). */
    public static void copyTree(java.nio.file.Path from, java.nio.file.Path to) throws java.io.IOException {
        try (var walk = java.nio.file.Files.walk(from)) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) walk::iterator) {
                java.nio.file.Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) java.nio.file.Files.createDirectories(target);
                else java.nio.file.Files.copy(p, target);
            }
        }
    }
}
