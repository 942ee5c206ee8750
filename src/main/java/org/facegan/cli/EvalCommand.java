package org.facegan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.facegan.data.DataSpec;
import org.facegan.data.FaceDataset;
import org.facegan.eval.AttributeClassifier;
import org.facegan.eval.EvalReport;
import org.facegan.eval.Evaluation;
import org.facegan.eval.NuisanceRegressor;
import org.facegan.io.AtomicFiles;
import org.facegan.train.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facegan eval}: how good the faces are, next to a noise and a copy baseline. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure a trained model against held-out real faces and two baselines; print a table.",
                "Conditional accuracy (an attribute classifier trained on the real faces judges whether G draws what y asks for); Fréchet distance and KID to held-out real faces in three spaces (the classifier's features, the features of a network trained for something else, and Laplacian-pyramid patches by sliced Wasserstein distance), each with its real-vs-real floor; Parzen log-likelihood of held-out faces and D's accuracy; all beside a noise generator and a copier of training faces.",
                "Writes eval.json; the networks are trained once per run and kept in RUN/eval/."},
        footer = {"", "Example:", "  facegan eval --run runs/faces32-synthetic"})
public final class EvalCommand implements Callable<Integer> {
    /** Where a run keeps its evaluation classifier. */
    static final String CLASSIFIER_DIR = "eval/classifier";

    @Mixin
    RunOption run;

    @Option(names = "--data", paramLabel = "SPEC",
            description = "Real faces to compare with (same attributes as the model). Default: the run's training data.")
    String data;

    @Option(names = "--count", defaultValue = "1000",
            description = "Faces per set (generated, held-out real, ...). Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--classifier-steps", paramLabel = "N", defaultValue = "" + AttributeClassifier.DEFAULT_STEPS,
            description = "Training steps of the attribute classifier (batch 64) when there is none yet. Default: ${DEFAULT-VALUE}.")
    int classifierSteps;

    @Option(names = "--nuisance-steps", paramLabel = "N", defaultValue = "" + NuisanceRegressor.DEFAULT_STEPS,
            description = "Training steps of the second feature network (the built-in faces' pose, lighting and colours; an autoencoder for photos) when there is none yet. Default: ${DEFAULT-VALUE}.")
    int nuisanceSteps;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of z, of the requested y and of the baselines. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Where to write the report. Default: RUN/eval.json.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (count < 2) throw new IllegalArgumentException("--count must be at least 2, found " + count);
        if (nuisanceSteps < 1) throw new IllegalArgumentException("--nuisance-steps must be at least 1, found " + nuisanceSteps);
        if (classifierSteps < 1) {
            throw new IllegalArgumentException("--classifier-steps must be at least 1, found " + classifierSteps);
        }
        boolean bundle = RunOption.isBundle(run.dir);
        if (bundle && data == null) {
            throw new IllegalArgumentException("--run " + run.dir + " is an exported bundle: give --data, the real faces to compare with");
        }
        Path report = out != null ? out : bundle ? Path.of("eval.json") : run.dir.resolve("eval.json");
        if (out != null) OutputFiles.require(out, ".json");
        try (LoadedRun r = LoadedRun.open(run)) {
            DataSpec spec = DataSpec.parse(data != null ? data : new RunDirectory(run.dir).read().options().data());
            FaceDataset faces;
            try (var bar = Progress.bar("faces", spec.describe(), spec.expectedImages(), 0)) {
                faces = spec.open(r.size, bar::stepTo);
            }
            if (!faces.attributeNames().equals(r.attributes())) {
                throw new IllegalArgumentException("--data " + spec + " has attributes " + faces.attributeNames()
                        + ", the model " + r.attributes());
            }
            try (AttributeClassifier classifier = classifier(faces, bundle ? null : run.dir.resolve(CLASSIFIER_DIR),
                    classifierSteps, seed);
                 EvalSpaces spaces = new EvalSpaces(faces, classifier, bundle ? null : run.dir, nuisanceSteps, seed)) {
                Evaluation evaluation = new Evaluation(faces, classifier, spaces.spaces,
                        spaces.nuisance.factorReader().orElse(null));
                EvalReport result = evaluation.run(model(r), Math.min(count, evaluation.maxCount()), r.step, seed);
                result.print(System.out);
                AtomicFiles.write(report, RunDirectory.JSON.writeValueAsBytes(result));
                System.out.println("wrote " + report);
            }
        }
        return ExitCodes.OK;
    }

    /** The run's classifier, trained (with a progress bar) when there is none for these faces yet. */
    static AttributeClassifier classifier(FaceDataset faces, Path dir, int steps, long seed) {
        if (dir != null && AttributeClassifier.exists(dir)) return AttributeClassifier.forFaces(faces, dir, steps, seed, i -> {});
        try (var bar = Progress.bar("steps", "classifier", steps, 0)) {
            return AttributeClassifier.forFaces(faces, dir, steps, seed, bar::stepTo);
        }
    }

    private static Evaluation.Model model(LoadedRun r) {
        return new Evaluation.Model() {
            @Override public int zDim() { return r.zDim; }
            @Override public float[] generate(float[] z, float[] y, int n) { return r.generate(z, y, n); }
            @Override public float[] discriminate(float[] images, float[] y, int n) { return r.discriminate(images, y, n); }
        };
    }
}
