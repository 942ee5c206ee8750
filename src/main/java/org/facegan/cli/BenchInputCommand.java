package org.facegan.cli;

import java.util.concurrent.Callable;
import org.facegan.data.DataSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code facegan bench input} (and {@code facegan bench --data SPEC}): the input pipeline's speed, by {@link InputBench}. */
@Command(name = "input", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time the input pipeline on a dataset: first load (decode), cached load, batch assembly; print one JSON line."},
        footer = {"", "Example:", "  facegan bench input --data celeba:~/data/celeba --crop 60"})
final class BenchInputCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "SPEC", required = true,
            description = "The dataset, as train --data: synthetic[:COUNT], celeba:DIR, lfw:DIR or folder:DIR.")
    String data;

    @Option(names = "--crop", paramLabel = "PX",
            description = "As train --crop: centre crop of photos before resizing; 0 = the largest centred square (for photos smaller than the default). Default: 108 for celeba, 0 for lfw and folder.")
    Integer crop;

    @Option(names = "--size", defaultValue = "64", description = "Image size: 32 or 64. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size of the assembly. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Override
    public Integer call() throws Exception {
        if (batch < 2) throw new IllegalArgumentException("--batch must be at least 2 (batch norm needs 2), found " + batch);
        if (size != 32 && size != 64) throw new IllegalArgumentException("--size must be 32 or 64, found " + size);
        return InputBench.run(DataSpec.parse(data).with(null, crop, null), size, batch);
    }
}
