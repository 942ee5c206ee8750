package org.facegan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.facegan.data.CelebaLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code facegan data}: dataset tools. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Dataset tools.",
        subcommands = DataCommand.Synth.class)
public final class DataCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return ExitCodes.OK;
    }

    /** {@code facegan data synth}: the built-in faces written in CelebA's on-disk layout. */
    @Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write built-in procedural faces in CelebA's layout: img_align_celeba/000001.jpg ...,",
                    "list_attr_celeba.txt and list_eval_partition.txt."})
    static final class Synth implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory (must be new or empty).")
        Path out;

        @Option(names = "--count", required = true, description = "Number of faces.")
        int count;

        @Option(names = "--size", defaultValue = "64", description = "Image size in px, 32 or 64. Default: ${DEFAULT-VALUE}.")
        int size;

        @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Override
        public Integer call() {
            if (count < 1) throw new IllegalArgumentException("--count must be at least 1, found " + count);
            if (size != 32 && size != 64) throw new IllegalArgumentException("--size must be 32 or 64, found " + size);
            try (var bar = Progress.bar("faces", "synth", count, 0)) {
                CelebaLayout.writeSynthetic(out, count, size, seed, bar::stepTo);
            }
            System.out.println("wrote " + count + " faces to " + out);
            return ExitCodes.OK;
        }
    }
}
