package org.facegan.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.facegan.data.FaceDataset;
import org.facegan.train.PeriodicEval;

/**
 * Scores a trained GAN against held-out real faces, next to the noise and copy baselines (see {@link EvalReport}).
 * Generated faces ask for the attributes of random training faces, as training does.
 */
public final class Evaluation {
    /** What the evaluation needs of a trained GAN. */
    public interface Model {
        int zDim();

        /** G(z, y), [n, S, S, 3] in [-1, 1]. */
        float[] generate(float[] z, float[] y, int n);

        /** D's real-vs-fake logits, [n]. */
        float[] discriminate(float[] images, float[] y, int n);
    }

    /** Reads known nuisance factors off faces (the built-in faces' {@link NuisanceRegressor}), for {@link FactorShift}. */
    public interface FactorReader {
        List<String> factors();

        /** Readings of n faces, [n, factors]. */
        float[] read(float[] images, int n);
    }

    private final FaceDataset data;
    private final AttributeClassifier classifier;
    private final List<EvalSpace> spaces;
    private final FactorReader factors;
    private final EvalSplit split;
    private final int pixels, attributes;

    /** Distances in the classifier's features only. */
    public Evaluation(FaceDataset data, AttributeClassifier classifier) {
        this(data, classifier, List.of(FeatureSpace.of(classifier, 1)));
    }

    /**
     * @param classifier judges conditional accuracy
     * @param spaces where distances are taken; the classifier's features (whose Fréchet distance the rows and
     *     checkpoints/best report) among them
     */
    public Evaluation(FaceDataset data, AttributeClassifier classifier, List<EvalSpace> spaces) {
        this(data, classifier, spaces, null);
    }

    /** @param factors reads the nuisance factors that {@link EvalReport#factors} compares; null: none */
    public Evaluation(FaceDataset data, AttributeClassifier classifier, List<EvalSpace> spaces, FactorReader factors) {
        if (spaces.stream().noneMatch(space -> space.name().equals("classifier"))) {
            throw new IllegalArgumentException("an evaluation needs the classifier's space, found " + spaces);
        }
        this.data = data;
        this.classifier = classifier;
        this.spaces = List.copyOf(spaces);
        this.factors = factors;
        this.split = EvalSplit.of(data.size());
        this.pixels = data.imageSize() * data.imageSize() * 3;
        this.attributes = data.attributeNames().size();
    }

    public EvalSplit split() {
        return split;
    }

    /** The largest {@code count} this dataset supports (held-out images; twice as many training images). */
    public int maxCount() {
        return Math.min(split.heldOut().length, Math.min(split.validation().length, split.train().length / 2));
    }

    /**
     * How many independent sets the model's and the floor's Fréchet distances are averaged over: with 1000 faces a
     * single set's distance swings by ±15% (a 4000-step averaged G: 171, 135 and 158 for three draws of z and y), more
     * than the differences worth measuring.
     */
    public static final int FRECHET_SETS = 3;

    /**
     * The fast version for {@code train --eval-every}: mean conditional accuracy and Fréchet distance to the held-out
     * faces, on {@code count} faces with the same z and y every time.
     */
    public PeriodicEval.Score quick(PeriodicEval.Generator generator, int count, long seed) {
        if (quickHeldOut == null || quickCount != count) {
            float[] heldOut = images(split.heldOut(), count, 0);
            quickHeldOut = spaces.stream().map(space -> space.describe(heldOut, count)).toList();
            quickCount = count;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] requested = trainingY(random, count);
        float[] faces = generator.generate(gaussian(random, count * generator.zDim()), requested, count);
        double[] perAttribute = conditionalAccuracy(classifier.logits(faces, count), requested, count).perAttribute;
        double mean = 0;
        for (double a : perAttribute) mean += a / attributes;
        Map<String, Double> distances = new LinkedHashMap<>();
        for (int k = 0; k < spaces.size(); k++) {
            EvalSpace space = spaces.get(k);
            double[] d = space.describe(faces, count).distancesTo(quickHeldOut.get(k));
            for (int m = 0; m < d.length; m++) distances.put(EvalReport.Distance.key(space.name(), space.metrics().get(m)), d[m]);
        }
        return new PeriodicEval.Score(mean, distances.get(PeriodicEval.FRECHET_CLASSIFIER), distances);
    }

    private List<EvalSpace.Described> quickHeldOut;
    private int quickCount;

    private record Accuracy(double[] perAttribute, double all) {}

    private Accuracy conditionalAccuracy(float[] logits, float[] requested, int count) {
        double[] perAttribute = new double[attributes];
        int allRight = 0;
        for (int j = 0; j < count; j++) {
            boolean all = true;
            for (int k = 0; k < attributes; k++) {
                boolean right = (logits[j * attributes + k] > 0) == AttributeClassifier.present(requested[j * attributes + k]);
                if (right) perAttribute[k]++;
                all &= right;
            }
            if (all) allRight++;
        }
        for (int k = 0; k < attributes; k++) perAttribute[k] /= count;
        return new Accuracy(perAttribute, allRight / (double) count);
    }

    /** Runs every metric on {@code count} faces per set; {@code step} is recorded. */
    public EvalReport run(Model model, int count, long step, long seed) {
        if (count < 2 || count > maxCount()) {
            throw new IllegalArgumentException("--count must be in [2, " + maxCount() + "] for this dataset, found " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] heldOut = images(split.heldOut(), count, 0);
        float[] validation = images(split.validation(), count, 0);

        // requested y: those of random training faces; the copy baseline is exactly those faces
        int[] picked = new int[count];
        for (int j = 0; j < count; j++) picked[j] = split.train()[random.nextInt(split.train().length)];
        float[] requested = new float[count * attributes];
        for (int j = 0; j < count; j++) System.arraycopy(data.attributes(picked[j]), 0, requested, j * attributes, attributes);

        float[] generated = model.generate(gaussian(random, count * model.zDim()), requested, count);
        // further independent sets of z and y: the model's distances are means over FRECHET_SETS sets
        List<float[]> sets = new ArrayList<>(List.of(generated));
        for (int set = 1; set < FRECHET_SETS; set++) {
            float[] y = trainingY(random, count);
            sets.add(model.generate(gaussian(random, count * model.zDim()), y, count));
        }
        float[] noise = new float[count * pixels];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) random.nextDouble(-1, 1);
        float[] copies = new float[count * pixels];
        for (int j = 0; j < count; j++) data.image(picked[j], copies, j * pixels);

        // pairs of disjoint sets of real training faces: the distance a perfect generator would still show
        int pairs = Math.max(1, Math.min(FRECHET_SETS, split.train().length / (2 * count)));
        List<float[][]> realPairs = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
            realPairs.add(new float[][] {images(split.train(), count, 2 * pair * count),
                    images(split.train(), count, (2 * pair + 1) * count)});
        }
        List<EvalReport.Distance> distances = new ArrayList<>();
        for (EvalSpace space : spaces) distances.addAll(distances(space, count, heldOut, sets, noise, copies, realPairs));
        // the rows' Fréchet distances are the classifier space's
        EvalReport.Distance frechet = distances.stream()
                .filter(d -> d.key().equals(PeriodicEval.FRECHET_CLASSIFIER)).findFirst().orElseThrow();

        List<FactorShift> shifts = factors == null ? List.of() : FactorShift.between(factors.factors(),
                factors.read(heldOut, count), factors.read(generated, count), factors.read(realPairs.get(0)[0], count), count);

        float[] realY = new float[count * attributes];
        for (int j = 0; j < count; j++) System.arraycopy(data.attributes(split.heldOut()[j]), 0, realY, j * attributes, attributes);
        float[] onReal = model.discriminate(heldOut, realY, count), onFake = model.discriminate(generated, requested, count);
        int right = 0;
        for (int j = 0; j < count; j++) right += (onReal[j] > 0 ? 1 : 0) + (onFake[j] < 0 ? 1 : 0);

        return new EvalReport(step, count, data.attributeNames(), classifier.info().heldOutAccuracy(),
                score(generated, requested, count, frechet.model(), validation, heldOut),
                score(noise, requested, count, frechet.noise(), validation, heldOut),
                score(copies, requested, count, frechet.copy(), validation, heldOut),
                frechet.floor(), right / (2.0 * count), distances, shifts);
    }

    /** Every metric of {@code space}: the model's mean over its sets, the two baselines' and the real-vs-real floor. */
    private static List<EvalReport.Distance> distances(EvalSpace space, int count, float[] heldOut, List<float[]> modelSets,
                                                       float[] noise, float[] copies, List<float[][]> realPairs) {
        EvalSpace.Described reference = space.describe(heldOut, count);
        int metrics = space.metrics().size();
        double[] model = new double[metrics], floor = new double[metrics];
        for (float[] set : modelSets) add(model, space.describe(set, count).distancesTo(reference), 1.0 / modelSets.size());
        for (float[][] pair : realPairs) {
            add(floor, space.describe(pair[0], count).distancesTo(space.describe(pair[1], count)), 1.0 / realPairs.size());
        }
        double[] onNoise = space.describe(noise, count).distancesTo(reference);
        double[] onCopies = space.describe(copies, count).distancesTo(reference);
        List<EvalReport.Distance> out = new ArrayList<>();
        for (int m = 0; m < metrics; m++) {
            out.add(new EvalReport.Distance(space.name(), space.metrics().get(m), model[m], onNoise[m], onCopies[m], floor[m]));
        }
        return out;
    }

    private static void add(double[] sum, double[] values, double weight) {
        for (int i = 0; i < sum.length; i++) sum[i] += weight * values[i];
    }

    private EvalReport.Row score(float[] faces, float[] requested, int count, double frechet, float[] validation,
                                 float[] heldOut) {
        Accuracy accuracy = conditionalAccuracy(classifier.logits(faces, count), requested, count);
        ParzenWindow.Estimate parzen = ParzenWindow.estimate(faces, validation, heldOut, pixels);
        return new EvalReport.Row(accuracy.perAttribute(), accuracy.all(), frechet, parzen.logLikelihood(),
                parzen.bandwidth());
    }

    /** The attribute vectors of {@code count} random training faces, as G is asked for them. */
    private float[] trainingY(SplittableRandom random, int count) {
        float[] y = new float[count * attributes];
        for (int j = 0; j < count; j++) {
            System.arraycopy(data.attributes(split.train()[random.nextInt(split.train().length)]), 0, y, j * attributes, attributes);
        }
        return y;
    }

    private static float[] gaussian(SplittableRandom random, int length) {
        float[] z = new float[length];
        for (int i = 0; i < z.length; i++) z[i] = (float) random.nextGaussian();
        return z;
    }

    /** {@code count} images of {@code indices}, starting at {@code from}. */
    private float[] images(int[] indices, int count, int from) {
        float[] out = new float[count * pixels];
        for (int j = 0; j < count; j++) data.image(indices[from + j], out, j * pixels);
        return out;
    }

}
