package org.facegan.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.facegan.data.ImageFiles;
import org.facegan.data.ImageGrid;
import org.facegan.latent.LatentEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code facegan analogy}: A is to B as ? is to C, by latent arithmetic. */
@Command(name = "analogy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Latent arithmetic on three faces: G(E(A) - E(B) + E(C), y(A) - y(B) + y(C)).",
                "y is estimated by D's attribute head and clipped to [0, 1]. Writes A, B, C and the result side by side."},
        footer = {"", "Example:", "  facegan analogy --run runs/faces32-synthetic --out analogy.png a.png b.png c.png"})
public final class AnalogyCommand implements Callable<Integer> {
    @Mixin
    RunOption run;

    @Parameters(paramLabel = "IMAGE", arity = "3", description = "A, B and C: PNG or JPEG faces.")
    List<Path> images;

    @Option(names = "--out", paramLabel = "FILE.png", defaultValue = "analogy.png", description = "Output PNG. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() {
        OutputFiles.require(out, ".png");
        try (LoadedRun r = LoadedRun.open(run)) {
            float[] x = ImageFiles.readAll(images, r.size);
            float[] z = r.encode(x, 3), y = r.estimateY(x, 3);
            float[] zr = LatentEdits.analogy(row(z, 0, r.zDim), row(z, 1, r.zDim), row(z, 2, r.zDim));
            float[] yr = LatentEdits.analogy(row(y, 0, r.yDim), row(y, 1, r.yDim), row(y, 2, r.yDim));
            for (int k = 0; k < yr.length; k++) yr[k] = Math.max(0f, Math.min(1f, yr[k]));
            float[] faces = new float[4 * r.pixels()];
            System.arraycopy(x, 0, faces, 0, 3 * r.pixels());
            System.arraycopy(r.generate(zr, yr, 1), 0, faces, 3 * r.pixels(), r.pixels());
            ImageGrid.writePng(ImageGrid.grid(faces, 4, r.size, 4), out);
            System.out.println("wrote A, B, C and G(E(A) - E(B) + E(C)) (step " + r.step + ") to " + out);
        }
        return ExitCodes.OK;
    }

    private static float[] row(float[] m, int i, int cols) {
        float[] out = new float[cols];
        System.arraycopy(m, i * cols, out, 0, cols);
        return out;
    }
}
