package org.facegan.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.facegan.data.CelebaLayout;
import org.facegan.data.DatasetInspection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code facegan data}: dataset tools. */
@Command(name = "data", mixinStandardHelpOptions = true, description = {"Dataset tools: write the built-in faces to disk, inspect a photo folder."},
        footer = {"", "Example:", "  facegan data inspect ~/data/celeba"},
        subcommands = {DataCommand.Synth.class, DataCommand.Inspect.class})
public final class DataCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return ExitCodes.OK;
    }

    /** {@code facegan data inspect}: a photo dataset's format, size, balance and problems, without training. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Report a dataset folder's format, photo count and sizes, attribute balance and problems.",
                    "Formats: celeba, lfw, folder. Reads image headers only. Exits 1 when it finds problems."},
            footer = {"", "Example:", "  facegan data inspect ~/data/celeba"})
    static final class Inspect implements Callable<Integer> {
        @CommandLine.Parameters(paramLabel = "DIR", description = "The dataset folder.")
        Path dir;

        @Override
        public Integer call() {
            DatasetInspection report = DatasetInspection.of(dir);
            System.out.printf(Locale.ROOT, "format: %s   images: %d   size: %dx%d .. %dx%d px%n", report.format(),
                    report.images(), report.minWidth(), report.minHeight(), report.maxWidth(), report.maxHeight());
            if (!report.attributes().isEmpty()) {
                System.out.printf(Locale.ROOT, "%-22s %10s %9s %9s%n", "attribute", "positives", "mean", "sd");
                for (var a : report.attributes()) {
                    String share = Double.isNaN(a.positives()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * a.positives());
                    System.out.printf(Locale.ROOT, "%-22s %10s %9.3f %9.3f%n", a.name(), share, a.mean(), a.std());
                }
            }
            System.out.println(report.problems().isEmpty() ? "no problems found" : "problems (" + report.problems().size() + "):");
            report.problems().forEach(p -> System.out.println("  " + p));
            return report.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    /** {@code facegan data synth}: the built-in faces written in CelebA's on-disk layout. */
    @Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write the built-in procedural faces in CelebA's on-disk layout.",
                    "img_align_celeba/000001.jpg ..., list_attr_celeba.txt and list_eval_partition.txt."},
            footer = {"", "Example:", "  facegan data synth --out /tmp/faces --count 1000"})
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
