package org.facegan.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.facegan.data.ImageGrid;
import org.facegan.export.InferenceGraph;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;
import org.facegan.train.StepDraws;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facegan sample}: a grid of G(z, y) from a run's latest checkpoint, with y set by {@code --attr}. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate faces from a trained run and write them as a PNG grid.",
                "Attributes not named with --attr are 0 (absent)."},
        footer = {"", "Example:", "  facegan sample --run runs/faces32-synthetic --attr Smiling=1 --count 16 --out smiling.png"})
public final class SampleCommand implements Callable<Integer> {
    @Mixin
    RunOption run;

    @Option(names = "--count", defaultValue = "16", description = "Faces to generate. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--out", paramLabel = "FILE.png", defaultValue = "samples.png",
            description = "Output PNG. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--attr", paramLabel = "NAME=VALUE",
            description = "Set an attribute of y, e.g. --attr Smiling=1 --attr Eyeglasses=1 (repeatable; 0 = absent, 1 = present).")
    Map<String, Float> attributes = Map.of();

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the z draws. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--columns", defaultValue = "0", description = "Grid columns; 0 = square-ish. Default: ${DEFAULT-VALUE}.")
    int columns;

    @picocli.CommandLine.Mixin
    ConvOption convOption;

    /** Smallest face side worth looking at: smaller faces are scaled up to at least this, as training's grids are. */
    static final int MIN_TILE = 64;

    @Option(names = "--scale", paramLabel = "N", defaultValue = "0",
            description = "Scale each face up N times (nearest neighbour, so no detail is invented); 0 = as many times as "
                    + "make a face at least " + MIN_TILE + " px (2 for 32-px models, 1 from 64 px). Default: ${DEFAULT-VALUE}.")
    int scale;

    @Override
    public Integer call() {
        if (scale < 0 || scale > 16) throw new IllegalArgumentException("--scale must be in [0, 16] (0 = automatic), found " + scale);
        if (count < 1) throw new IllegalArgumentException("--count must be at least 1, found " + count);
        if (columns < 0) throw new IllegalArgumentException("--columns must be 0 (square-ish) or more, found " + columns);
        OutputFiles.require(out, ".png");
        RunDirectory runDirectory = run.open();
        RunDirectory.RunRecord record = runDirectory.read();
        float[] y = attributeVector(record.attributes(), attributes);
        Checkpoints.Checkpoint checkpoint = run.checkpoint(runDirectory);

        int zDim = record.options().model().zDim();
        float[] z = new float[count * zDim];
        StepDraws.gaussian(new SplittableRandom(seed), z);
        float[] ys = new float[count * y.length];
        for (int i = 0; i < count; i++) System.arraycopy(y, 0, ys, i * y.length, y.length);
        try (InferenceGraph g = InferenceGraph.restore(record.options().model(), y.length, record.options().averagesGenerator(),
                checkpoint.prefix(), 0, org.facegan.model.ConvTuner.plan(convOption.conv, count, System.err::println))) {
            float[] images = g.generate(z, ys, count);
            int cols = columns > 0 ? columns : (int) Math.ceil(Math.sqrt(count));
            int size = record.options().model().imageSize();
            int times = scale > 0 ? scale : Math.max(1, MIN_TILE / size);
            ImageGrid.writePng(scaled(ImageGrid.grid(images, count, size, cols), times), out);
        }
        System.out.println("wrote " + count + " faces (step " + checkpoint.step() + ") to " + out);
        return ExitCodes.OK;
    }

    /** {@code image} scaled up {@code times} times, nearest neighbour. */
    static java.awt.image.BufferedImage scaled(java.awt.image.BufferedImage image, int times) {
        if (times == 1) return image;
        var out = new java.awt.image.BufferedImage(image.getWidth() * times, image.getHeight() * times, image.getType());
        var g = out.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                    java.awt.RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** y from NAME=VALUE pairs; every name must be one of the run's attributes. */
    static float[] attributeVector(List<String> names, Map<String, Float> values) {
        float[] y = new float[names.size()];
        List<String> unknown = new ArrayList<>();
        values.forEach((name, value) -> {
            int i = names.indexOf(name);
            if (i < 0) unknown.add(name);
            else y[i] = value;
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--attr: unknown attribute " + String.join(", ", unknown)
                    + "; this run knows " + String.join(", ", names));
        }
        return y;
    }
}
