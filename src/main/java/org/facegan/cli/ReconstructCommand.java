package org.facegan.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.facegan.data.ImageGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code facegan reconstruct}: faces above their reconstructions G(E(x), y). */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encode faces and regenerate them: rows of originals, each followed by G(E(x), y).",
                "Without IMAGE files it takes the first --count faces of --data, by default the run's own dataset. y is the dataset's labels for dataset faces, and D's attribute-head estimate for image files."},
        footer = {"", "Example:", "  facegan reconstruct --run runs/faces32-synthetic --count 8"})
public final class ReconstructCommand implements Callable<Integer> {
    @Mixin
    RunOption run;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "PNG/JPEG files, or directories of them.")
    List<Path> images = List.of();

    @Option(names = "--data", paramLabel = "SPEC", description = "Reconstruct dataset images instead, e.g. synthetic. Default without IMAGE: the run's own dataset.")
    String data;

    @Option(names = "--count", defaultValue = "16", description = "With --data: images to use. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--columns", defaultValue = "8", description = "Faces per row. Default: ${DEFAULT-VALUE}.")
    int columns;

    @Option(names = "--out", paramLabel = "FILE.png", defaultValue = "recon.png", description = "Output PNG. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() {
        if (!images.isEmpty() && data != null) {
            throw new IllegalArgumentException("give IMAGE files/directories or --data SPEC, not both");
        }
        String data = this.data;
        if (images.isEmpty() && data == null) { // the run's own faces
            if (RunOption.isBundle(run.dir)) {
                throw new IllegalArgumentException("give IMAGE files/directories or --data SPEC: the exported bundle "
                        + run.dir + " does not name its dataset");
            }
            data = run.open().read().options().data();
        }
        if (data != null && count < 1) throw new IllegalArgumentException("--count must be at least 1, found " + count);
        if (columns < 1) throw new IllegalArgumentException("--columns must be at least 1, found " + columns);
        OutputFiles.require(out, ".png");
        try (LoadedRun r = LoadedRun.open(run)) {
            LatentInputs inputs = data != null ? LatentInputs.dataset(data, count, r.size) : LatentInputs.files(images, r.size);
            int n = inputs.count();
            if (data != null && !inputs.attributeNames().equals(r.attributes())) {
                throw new IllegalArgumentException("--data " + data + " has attributes " + inputs.attributeNames()
                        + ", the run " + r.attributes());
            }
            float[] y = data != null ? inputs.attributes() : r.estimateY(inputs.images(), n);
            float[] back = r.generate(r.encode(inputs.images(), n), y, n);
            // tiles: for each block of `columns` faces, the originals' row, then the reconstructions' row
            int cols = Math.min(columns, n), blocks = (n + cols - 1) / cols, p = r.pixels();
            float[] tiles = new float[2 * blocks * cols * p];
            for (int i = 0; i < tiles.length; i++) tiles[i] = 1f;  // white where the last block is short
            for (int i = 0; i < n; i++) {
                int block = i / cols, col = i % cols;
                System.arraycopy(inputs.images(), i * p, tiles, ((2 * block) * cols + col) * p, p);
                System.arraycopy(back, i * p, tiles, ((2 * block + 1) * cols + col) * p, p);
            }
            ImageGrid.writePng(ImageGrid.grid(tiles, 2 * blocks * cols, r.size, cols), out);
            System.out.println("wrote " + n + " faces and their reconstructions (step " + r.step + ") to " + out);
        }
        return ExitCodes.OK;
    }
}
