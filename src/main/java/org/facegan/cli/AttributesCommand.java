package org.facegan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.facegan.latent.AttributeVectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facegan attributes}: attribute vectors in z, saved in the run. */
@Command(name = "attributes", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compute one vector in z per attribute, which score and edit read.",
                "Each vector is the mean E(x) over images that have the attribute minus the mean over those that do not. Saved in the run as " + AttributeVectors.FILE_NAME + " (a header row attribute, with, without, z0..; then one row per attribute)."},
        footer = {"", "Example:", "  facegan attributes --run runs/faces32-synthetic"})
public final class AttributesCommand implements Callable<Integer> {
    @Mixin
    RunOption run;

    @Option(names = "--data", paramLabel = "SPEC", defaultValue = "synthetic",
            description = "Labelled images to encode. Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--count", defaultValue = "2000", description = "Images to use, 0 = all. Default: ${DEFAULT-VALUE}.")
    int count;

    @Override
    public Integer call() {
        if (count < 0) throw new IllegalArgumentException("--count must be 0 (all) or more, found " + count);
        if (RunOption.isBundle(run.dir)) {
            throw new IllegalArgumentException("--run " + run.dir + ": an exported bundle, and exports are never modified;"
                    + " run `facegan attributes` on its run, then `facegan export` again (score and edit read the vectors from the bundle)");
        }
        try (LoadedRun r = LoadedRun.open(run)) {
            LatentInputs inputs = LatentInputs.dataset(data, count, r.size);
            if (!inputs.attributeNames().equals(r.attributes())) {
                throw new IllegalArgumentException("--data " + data + " has attributes " + inputs.attributeNames()
                        + ", the run " + r.attributes());
            }
            float[] z = r.encode(inputs.images(), inputs.count());
            AttributeVectors vectors = AttributeVectors.compute(r.attributes(), z, inputs.attributes(), inputs.count(), r.zDim);
            Path file = r.root.resolve(AttributeVectors.FILE_NAME);
            vectors.write(file);
            System.out.printf("%-20s %6s %8s %7s%n", "attribute", "with", "without", "|v|");
            for (int k = 0; k < r.yDim; k++) {
                System.out.printf("%-20s %6d %8d %7.3f%s%n", r.attributes().get(k), vectors.with()[k], vectors.without()[k],
                        vectors.norm(k),
                        vectors.defined(k) ? "" : "  (no direction: every image or none had it)");
            }
            System.out.println("wrote " + r.yDim + " attribute vectors from " + inputs.count() + " images (step "
                    + r.step + ") to " + file);
        }
        return ExitCodes.OK;
    }
}
