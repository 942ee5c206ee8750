package org.facegan.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.facegan.latent.LatentTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code facegan encode}: E(x) for images, as a TSV. */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encode face images into z with the run's encoder E and write them as a TSV.",
                "One row per image: the file name, then the z components (no header row). Images are PNG/JPEG files or directories of them, centre-cropped and resized to the model's size; or the first --count images of --data."},
        footer = {"", "Example:", "  facegan encode --run runs/faces32-synthetic --out faces.tsv photos/"})
public final class EncodeCommand implements Callable<Integer> {
    @Mixin
    RunOption run;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "PNG/JPEG files, or directories of them.")
    List<Path> images = List.of();

    @Option(names = "--data", paramLabel = "SPEC", description = "Encode dataset images instead, e.g. synthetic:1000.")
    String data;

    @Option(names = "--count", defaultValue = "0", description = "With --data: images to encode, 0 = all. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--out", paramLabel = "FILE.tsv", defaultValue = "z.tsv", description = "Output TSV. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() {
        if (images.isEmpty() == (data == null)) {
            throw new IllegalArgumentException("give IMAGE files/directories or --data SPEC (one of them)");
        }
        if (count < 0) throw new IllegalArgumentException("--count must be 0 (all) or more, found " + count);
        try (LoadedRun r = LoadedRun.open(run)) {
            LatentInputs inputs = data != null ? LatentInputs.dataset(data, count, r.size) : LatentInputs.files(images, r.size);
            float[] z = r.encode(inputs.images(), inputs.count());
            LatentTable.write(out, inputs.names(), z, r.zDim);
            System.out.println("wrote z of " + inputs.count() + " images (step " + r.step + ") to " + out);
        }
        return ExitCodes.OK;
    }
}
