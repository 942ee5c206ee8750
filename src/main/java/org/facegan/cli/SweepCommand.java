package org.facegan.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.facegan.data.ImageGrid;
import org.facegan.latent.AxisSweep;
import org.facegan.train.StepDraws;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code facegan sweep}: random faces moved along attribute axes of y (the figure of seed 000, "Conditional
 * generative adversarial networks for face generation").
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw random faces, then the same faces with attributes of y swept over a range.",
                "The first row is --count random faces (y from --attr); then, for each --axis attribute, one row per value of --steps evenly spaced values."},
        footer = {"", "Example:", "  facegan sweep --run runs/faces32-synthetic --axis Smiling --steps 5 --out sweep.png"})
public final class SweepCommand implements Callable<Integer> {
    @Mixin
    RunOption run;

    @Option(names = "--axis", paramLabel = "NAME=FROM:TO", required = true,
            description = "Attribute axis and range, e.g. --axis Young=-1:2 --axis Smiling=0:2 (repeatable).")
    List<String> axes;

    @Option(names = "--count", defaultValue = "8", description = "Faces per row. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--steps", defaultValue = "5", description = "Values per axis (at least 2). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--attr", paramLabel = "NAME=VALUE", description = "y of the first row and the base of every axis (repeatable; default all 0).")
    Map<String, Float> attributes = Map.of();

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the z draws. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.png", defaultValue = "sweep.png", description = "Output PNG. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() {
        if (count < 1) throw new IllegalArgumentException("--count must be at least 1, found " + count);
        if (steps < 2) throw new IllegalArgumentException("--steps must be at least 2, found " + steps);
        OutputFiles.require(out, ".png");
        List<AxisSweep> sweeps = axes.stream().map(AxisSweep::parse).toList();
        try (LoadedRun r = LoadedRun.open(run)) {
            float[] base = SampleCommand.attributeVector(r.attributes(), attributes);
            int[] index = sweeps.stream().mapToInt(s -> r.attribute("--axis", s.attribute())).toArray();
            int rows = 1 + sweeps.size() * steps, n = rows * count;
            float[] z = new float[count * r.zDim];
            StepDraws.gaussian(new SplittableRandom(seed), z);
            float[] zs = new float[n * r.zDim], ys = new float[n * r.yDim];
            for (int row = 0; row < rows; row++) System.arraycopy(z, 0, zs, row * count * r.zDim, z.length);
            for (int c = 0; c < count; c++) System.arraycopy(base, 0, ys, c * r.yDim, r.yDim);
            float[] swept = AxisSweep.grid(base, sweeps, index, steps, count);
            System.arraycopy(swept, 0, ys, count * r.yDim, swept.length);
            ImageGrid.writePng(ImageGrid.grid(r.generate(zs, ys, n), n, r.size, count), out);
            System.out.println("wrote " + rows + " rows of " + count + " faces (" + sweeps + ", step "
                    + r.step + ") to " + out);
        }
        return ExitCodes.OK;
    }
}
