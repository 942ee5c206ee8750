package org.facegan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.facegan.eval.TrainingCurves;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facegan plot}: a run's training curves as one PNG. */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Plot a run's metrics.csv: losses, D's outputs and, with --eval-every, the eval metrics.",
                "D, G and E losses; D(real), D(fake) and gen (D(G(z)) in G's step, the monitor of the blog post \"Generating Faces with Torch\"); and conditional accuracy and Fréchet distance when it ran with --eval-every."},
        footer = {"", "Example:", "  facegan plot --run runs/faces32-synthetic"})
public final class PlotCommand implements Callable<Integer> {
    @Mixin
    RunOption run;

    @Option(names = "--out", paramLabel = "FILE.png", defaultValue = "curves.png", description = "Output PNG. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() {
        OutputFiles.require(out, ".png");
        var directory = run.open();
        TrainingCurves.read(directory.metricsFile()).writePng(directory.root().getFileName().toString(), out);
        System.out.println("wrote " + out);
        return ExitCodes.OK;
    }
}
