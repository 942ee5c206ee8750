package org.facegan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.facegan.export.RunExporter;
import org.facegan.export.SavedModelExport;
import org.facegan.export.ServingConfig;
import org.facegan.model.ConvTuner;
import org.facegan.train.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facegan export}: a run's latest checkpoint as a SavedModel version for TF Serving. */
@Command(name = "export", sortOptions = false,
        description = {"Export a run's latest checkpoint as a SavedModel in TF Serving's layout (OUT/<version>/).",
                "Signatures: serving_default (z, y -> images), encode (images -> z), discriminate (images, y -> logits), generate_png (z, y -> image_bytes, one PNG per row)."},
        footer = {"", "Example:", "  facegan export --run runs/faces32-synthetic --out export/faces32-synthetic"})
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    RunOption run;

    // not mixinStandardHelpOptions: its -V/--version would take --version from the model version below
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Model base directory; the bundle goes to DIR/<version>/. Default: export/<run name>.")
    Path out;

    @Option(names = "--version", paramLabel = "N|auto", defaultValue = "auto",
            description = "Version number, or auto for the next free one. Existing versions are never overwritten. Default: ${DEFAULT-VALUE}.")
    String version;

    @Option(names = "--serving-config", paramLabel = "FILE",
            description = "Also write TF Serving's models.config (model_config_list) naming every model under the export root (the parent of the base directory), for tensorflow_model_server --model_config_file.")
    Path servingConfig;

    @Option(names = "--conv", paramLabel = "direct|auto|blocks|matmul|nchw", defaultValue = "direct",
            description = {"The form of each stride-2 convolution and transposed convolution in the bundle, all the same "
                    + "function of the same weights (as train --conv). direct, TensorFlow's own ops, is fastest on the "
                    + "runtimes that optimise them (GPUs, other hosts); auto times the forms on this host, for a bundle "
                    + "served on this kind of host (facegan serve on an AMD EPYC: 1.3x the requests/s). Default: ${DEFAULT-VALUE}."})
    String conv;

    @Option(names = "--conv-batch", paramLabel = "ROWS", defaultValue = "16",
            description = "With --conv auto: the batch the forms are timed at, e.g. the mean batch facegan serve's batching forms "
                    + "(its /facegan/models/NAME/batching page). Default: ${DEFAULT-VALUE}.")
    int convBatch;

    @Override
    public Integer call() {
        ConvTuner.validate(conv);
        if (convBatch < 1) throw new IllegalArgumentException("--conv-batch " + convBatch + ": expected at least 1 row");
        if (servingConfig != null && Files.isDirectory(servingConfig)) {
            throw new IllegalArgumentException("--serving-config " + servingConfig + ": is a directory, expected a file name");
        }
        var runDirectory = run.open();
        Checkpoints.Checkpoint checkpoint = run.checkpoint(runDirectory);
        Path base = out != null ? out : Path.of("export", runDirectory.root().toAbsolutePath().getFileName().toString());
        long v = parseVersion(version, base);
        Path exported = RunExporter.export(runDirectory, checkpoint, base, v,
                ConvTuner.plan(conv, convBatch, System.err::println));
        System.out.println("exported step " + checkpoint.step() + " of " + runDirectory.root() + " to " + exported);
        if (servingConfig != null) {
            Path root = base.toAbsolutePath().normalize().getParent();
            var config = ServingConfig.write(root, servingConfig);
            System.out.println("wrote " + servingConfig + " naming " + config.getModelConfigList().getConfigCount()
                    + " model(s) under " + root);
        }
        return ExitCodes.OK;
    }

    static long parseVersion(String version, Path base) {
        if (version.equals("auto")) return SavedModelExport.nextVersion(base);
        try {
            long v = Long.parseLong(version);
            if (v >= 1) return v;
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("--version " + version + ": expected a positive integer or auto");
    }
}
