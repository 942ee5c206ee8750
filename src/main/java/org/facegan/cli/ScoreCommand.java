package org.facegan.cli;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.facegan.data.ImageFiles;
import org.facegan.latent.AttributeVectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code facegan score}: which attributes an image's z points towards. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rank the attributes of a face image, printed as a table.",
                "The score is the inner product of E(x) with each normalised attribute vector (run facegan attributes first)."},
        footer = {"", "Example:", "  facegan score --run runs/faces32-synthetic face.png"})
public final class ScoreCommand implements Callable<Integer> {
    @Mixin
    RunOption run;

    @Parameters(paramLabel = "IMAGE", arity = "1", description = "A PNG or JPEG face.")
    Path image;

    @Option(names = "--top", defaultValue = "5", description = "Attributes to list, 0 = all. Default: ${DEFAULT-VALUE}.")
    int top;

    @Override
    public Integer call() {
        if (top < 0) throw new IllegalArgumentException("--top must be 0 (all) or more, found " + top);
        try (LoadedRun r = LoadedRun.open(run)) {
            AttributeVectors vectors = r.attributeVectors();
            float[] x = new float[r.pixels()];
            ImageFiles.read(image, r.size, x, 0);
            float[] scores = vectors.scores(r.encode(x, 1));
            List<Integer> order = IntStream.range(0, scores.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer k) -> -scores[k])).toList();
            int shown = top == 0 ? order.size() : Math.min(top, order.size());
            System.out.printf("%4s  %-20s %8s%n", "rank", "attribute", "score");
            for (int i = 0; i < shown; i++) {
                int k = order.get(i);
                System.out.printf("%4d  %-20s %8.3f%n", i + 1, vectors.names().get(k), scores[k]);
            }
        }
        return ExitCodes.OK;
    }
}
