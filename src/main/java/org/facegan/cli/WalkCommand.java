package org.facegan.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.facegan.data.ImageGrid;
import org.facegan.latent.AnimatedGif;
import org.facegan.latent.Slerp;
import org.facegan.train.StepDraws;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facegan walk}: a looping animated GIF of G along a slerp tour through random z's. */
@Command(name = "walk", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Walk the latent space as a looping animated GIF (spherical interpolation through random z's).",
                "y is fixed for the whole walk (attributes not named with --attr are 0)."},
        footer = {"", "Example:", "  facegan walk --run runs/faces32-synthetic --attr Smiling=1 --out walk.gif"})
public final class WalkCommand implements Callable<Integer> {
    @Mixin
    RunOption run;

    @Option(names = "--frames", defaultValue = "60", description = "Frames in the loop. Default: ${DEFAULT-VALUE}.")
    int frames;

    @Option(names = "--keys", defaultValue = "6", description = "Random z's the walk passes through (at least 2). Default: ${DEFAULT-VALUE}.")
    int keys;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the key z's. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--attr", paramLabel = "NAME=VALUE", description = "Set an attribute of y, e.g. --attr Smiling=1 (repeatable).")
    Map<String, Float> attributes = Map.of();

    @Option(names = "--delay", paramLabel = "MS", defaultValue = "80", description = "Milliseconds per frame. Default: ${DEFAULT-VALUE}.")
    int delayMs;

    @Option(names = "--out", paramLabel = "FILE.gif", defaultValue = "walk.gif", description = "Output GIF. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() {
        if (keys < 2) throw new IllegalArgumentException("--keys must be at least 2, found " + keys);
        if (frames < keys) throw new IllegalArgumentException("--frames must be at least --keys (" + keys + "), found " + frames);
        if (delayMs < 10) throw new IllegalArgumentException("--delay must be at least 10 ms (GIF's resolution), found " + delayMs);
        OutputFiles.require(out, ".gif");
        try (LoadedRun r = LoadedRun.open(run)) {
            float[] y = SampleCommand.attributeVector(r.attributes(), attributes);
            SplittableRandom random = new SplittableRandom(seed);
            float[][] keyZ = new float[keys][r.zDim];
            for (float[] z : keyZ) StepDraws.gaussian(random, z);
            float[][] path = Slerp.loop(keyZ, frames);
            float[] zs = new float[frames * r.zDim], ys = new float[frames * r.yDim];
            for (int f = 0; f < frames; f++) {
                System.arraycopy(path[f], 0, zs, f * r.zDim, r.zDim);
                System.arraycopy(y, 0, ys, f * r.yDim, r.yDim);
            }
            float[] images = r.generate(zs, ys, frames);
            List<BufferedImage> gif = new ArrayList<>();
            for (int f = 0; f < frames; f++) gif.add(ImageGrid.fromFloats(images, f * r.pixels(), r.size));
            AnimatedGif.write(gif, delayMs, out);
            System.out.println("wrote a " + frames + "-frame walk through " + keys + " z's (step "
                    + r.step + ") to " + out);
        }
        return ExitCodes.OK;
    }
}
