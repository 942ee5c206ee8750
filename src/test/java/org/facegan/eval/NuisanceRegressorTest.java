package org.facegan.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.facegan.data.FaceDataset;
import org.facegan.data.NuisanceFactors;
import org.facegan.data.SyntheticDataset;
import org.facegan.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;

/**
 * The second judge learns the built-in faces' nuisance factors from the pixels (held-out R²), gives 128 features a
 * face, survives save and load bit for bit, is trained once per directory, repeats itself given a seed, and falls back
 * to an autoencoder on faces without factors.
 */
class NuisanceRegressorTest {
    static final int SIZE = 32, COUNT = 2000, STEPS = 300;
    static final int PIXELS = SIZE * SIZE * 3;

    /** Built-in faces; the regressor trained on them for {@link #STEPS} steps (seed 1), shared by the tests. */
    static SyntheticDataset faces;
    static EvalSplit split;
    static NuisanceRegressor trained;
    static double trainSeconds;

    @BeforeAll
    static void train() {
        faces = new SyntheticDataset(0, SIZE, COUNT);
        split = EvalSplit.of(COUNT);
        long t0 = System.nanoTime();
        trained = NuisanceRegressor.train(faces, split.train(), split.heldOut(), STEPS, 1, i -> {});
        trainSeconds = (System.nanoTime() - t0) / 1e9;
    }

    @AfterAll
    static void close() {
        if (trained != null) trained.close();
    }

    /**
     * Measured at this setting (2000 faces, 1800 to train, 200 held out; 300 steps) for seeds 1, 2, 3: mean held-out R²
     * 0.698, 0.672, 0.689 (spread 0.026); the weakest pose and colour factor 0.865 (dx, seed 3), the rest ≥ 0.87.
     * Lighting and hair are the hard factors at this budget (brightness, contrast, light strength, hair volume near 0
     * or below), which is why they get no bound of their own here. Bounds: mean 0.55 (0.12 below the lowest seed, ~5×
     * the seed spread) and 0.75 for each pose and colour factor (0.11 below the weakest). At the default 1500 steps on
     * the 20000 default faces the mean is about 0.86 (see {@link NuisanceRegressor#DEFAULT_STEPS}).
     */
    @Test
    void learnsTheNuisanceFactorsOfHeldOutFaces() {
        NuisanceRegressor.Info info = trained.info();
        StringBuilder figures = new StringBuilder();
        for (int k = 0; k < info.outputs().size(); k++) {
            figures.append(String.format(" %s %.3f", info.outputs().get(k), info.heldOutR2()[k]));
        }
        System.out.printf("nuisance regressor: %d steps in %.1f s, held-out mean R² %.3f:%s%n", STEPS, trainSeconds,
                info.meanR2(), figures);
        assertThat(info.target()).isEqualTo(NuisanceRegressor.Target.FACTORS);
        assertThat(info.outputs()).isEqualTo(faces.factorNames());
        assertThat(info.steps()).isEqualTo(STEPS);
        assertThat(info.meanR2()).isGreaterThan(0.55);
        for (String factor : List.of("dx", "dy", "tilt", "scale", "skin_r", "skin_g", "skin_b",
                "background_r", "background_g", "background_b", "shirt_r", "shirt_g", "shirt_b")) {
            assertThat(info.heldOutR2()[info.outputs().indexOf(factor)]).as(factor).isGreaterThan(0.75);
        }
        assertThat(info.heldOutR2()).containsExactly(trained.r2(faces, split.heldOut()));
    }

    @Test
    void givesFeatureDimValuesAFace() {
        float[] x = images(faces, 0, 5);
        float[] f = trained.features(x, 5);
        assertThat(trained.featureDim()).isEqualTo(128);
        assertThat(f).hasSize(5 * trained.featureDim());
        for (float v : f) assertThat(Float.isFinite(v)).isTrue();
        assertThat(Arrays.copyOfRange(f, 0, 128)).isNotEqualTo(Arrays.copyOfRange(f, 128, 256));
        assertThat(trained.predictions(x, 5)).hasSize(5 * faces.factorNames().size());
        // A face's features do not depend on the rest of its batch (batch norm on moving statistics), up to rounding:
        // oneDNN may sum in another order for another batch size. Each layer's sums (at most 2048 products) can move by
        // 2048 · 2^-24 ≈ 1.2e-4 of their scale in the worst case, five layers 6e-4; bound 1e-3 of the largest feature.
        float[] alone = trained.features(Arrays.copyOf(x, PIXELS), 1);
        float scale = 0;
        for (int k = 0; k < 128; k++) scale = Math.max(scale, Math.abs(f[k]));
        for (int k = 0; k < 128; k++) assertThat(alone[k]).isCloseTo(f[k], within(1e-3f * scale));
    }

    @Test
    void saveThenLoadGivesIdenticalFeatures(@TempDir Path tmp) {
        Path dir = tmp.resolve("nuisance");
        trained.save(dir);
        float[] x = images(faces, 100, 8);
        try (NuisanceRegressor loaded = NuisanceRegressor.load(dir)) {
            assertThat(loaded.features(x, 8)).containsExactly(trained.features(x, 8));
            assertThat(loaded.predictions(x, 8)).containsExactly(trained.predictions(x, 8));
            assertThat(loaded.info().heldOutR2()).containsExactly(trained.info().heldOutR2());
            assertThat(loaded.info().outputs()).isEqualTo(trained.info().outputs());
        }
    }

    @Test
    void aSecondBuildReusesTheSavedNetworkUnlessTheFacesDiffer(@TempDir Path tmp) {
        Path dir = tmp.resolve("nuisance");
        SyntheticDataset small = new SyntheticDataset(0, SIZE, 40);
        AtomicInteger steps = new AtomicInteger();
        float[] x = images(small, 0, 4), first;
        try (NuisanceRegressor made = NuisanceRegressor.forFaces(small, dir, 3, 1, i -> steps.incrementAndGet())) {
            first = made.features(x, 4);
        }
        assertThat(steps).hasValue(3);
        assertThat(NuisanceRegressor.exists(dir)).isTrue();
        try (NuisanceRegressor again = NuisanceRegressor.forFaces(small, dir, 3, 2, i -> steps.incrementAndGet())) {
            assertThat(again.features(x, 4)).containsExactly(first);
        }
        assertThat(steps).as("no training the second time").hasValue(3);

        FaceDataset photos = Fixtures.noiseFaces(40, SIZE, 2); // no nuisance factors: an autoencoder replaces it
        try (NuisanceRegressor other = NuisanceRegressor.forFaces(photos, dir, 3, 1, i -> steps.incrementAndGet())) {
            assertThat(other.info().target()).isEqualTo(NuisanceRegressor.Target.PIXELS);
        }
        assertThat(steps).hasValue(6);
        try (NuisanceRegressor saved = NuisanceRegressor.load(dir)) {
            assertThat(saved.info().target()).isEqualTo(NuisanceRegressor.Target.PIXELS);
        }
    }

    @Test
    void trainingRepeatsGivenASeed() {
        SyntheticDataset small = new SyntheticDataset(0, SIZE, 40);
        EvalSplit s = EvalSplit.of(40);
        float[] x = images(small, 0, 4);
        float[][] features = new float[3][];
        long[] seeds = {5, 5, 6};
        for (int run = 0; run < 3; run++) {
            try (NuisanceRegressor r = NuisanceRegressor.train(small, s.train(), s.heldOut(), 4, seeds[run], i -> {})) {
                features[run] = r.features(x, 4);
            }
        }
        assertThat(features[1]).containsExactly(features[0]);
        assertThat(features[2]).isNotEqualTo(features[0]);
    }

    /**
     * On faces without nuisance factors it trains as an autoencoder; its bottleneck is the feature space. Here the
     * built-in faces with their factors hidden, 150 steps on 1800 faces: held-out pixel R² (against the mean face)
     * measured 0.792, 0.792, 0.834 for seeds 1, 2, 3 (spread 0.04); bound 0.65, 0.14 below the lowest.
     */
    @Test
    void facesWithoutFactorsTrainAnAutoencoderWhoseCodeIsTheFeatures(@TempDir Path tmp) {
        FaceDataset hidden = withoutFactors(faces);
        assertThat(NuisanceFactors.of(hidden)).isEmpty();
        try (NuisanceRegressor a = NuisanceRegressor.train(hidden, split.train(), split.heldOut(), 150, 1, i -> {})) {
            NuisanceRegressor.Info info = a.info();
            System.out.printf("autoencoder: held-out pixel R² %.3f%n", info.heldOutR2()[0]);
            assertThat(info.target()).isEqualTo(NuisanceRegressor.Target.PIXELS);
            assertThat(info.outputs()).containsExactly("pixels");
            assertThat(info.meanR2()).isGreaterThan(0.65);
            float[] x = images(faces, 0, 3);
            assertThat(a.featureDim()).isEqualTo(128);
            assertThat(a.features(x, 3)).hasSize(3 * 128);
            assertThat(a.predictions(x, 3)).hasSize(3 * PIXELS);
            a.save(tmp.resolve("autoencoder"));
            try (NuisanceRegressor loaded = NuisanceRegressor.load(tmp.resolve("autoencoder"))) {
                assertThat(loaded.features(x, 3)).containsExactly(a.features(x, 3));
            }
        }
    }

    @Test
    void aFaceThatCannotBeReadStopsTrainingAndClosesTheGraph() {
        List<Graph> opened = new ArrayList<>();
        FaceDataset unreadable = new FaceDataset() {
            public int size() { return 40; }
            public int imageSize() { return SIZE; }
            public List<String> attributeNames() { return faces.attributeNames(); }
            public void image(int i, float[] dst, int offset) {
                throw new UncheckedIOException("cannot decode face " + i, new IOException("not a JPEG"));
            }
            public float[] attributes(int i) { return faces.attributes(i); }
        };
        assertThatThrownBy(() -> NuisanceRegressor.forFaces(unreadable, null, 2, 1, i -> {}, () -> {
            Graph g = new Graph();
            opened.add(g);
            return g;
        })).hasMessageStartingWith("cannot decode face");
        assertThat(opened).hasSize(1);
        assertThatThrownBy(() -> opened.get(0).operation("images")).hasMessageContaining("close() has been called");
    }

    /** Faces first .. first+n-1 of {@code data}, as one array. */
    static float[] images(FaceDataset data, int first, int n) {
        float[] x = new float[n * PIXELS];
        for (int j = 0; j < n; j++) data.image(first + j, x, j * PIXELS);
        return x;
    }

    /** {@code data} as a dataset that knows no nuisance factors (as CelebA, LFW and folders). */
    static FaceDataset withoutFactors(FaceDataset data) {
        return new FaceDataset() {
            public int size() { return data.size(); }
            public int imageSize() { return data.imageSize(); }
            public List<String> attributeNames() { return data.attributeNames(); }
            public void image(int i, float[] dst, int offset) { data.image(i, dst, offset); }
            public float[] attributes(int i) { return data.attributes(i); }
        };
    }
}
