package org.facegan.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.facegan.data.ImageFiles;
import org.facegan.data.ImageGrid;
import org.facegan.latent.AttributeVectors;
import org.facegan.latent.LatentEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code facegan edit}: add or remove attributes of a face through z, y or both. */
@Command(name = "edit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Edit a face: encode it, then move it along attributes and regenerate it.",
                "Writes one row per edit: the input, its reconstruction G(E(x), y), the edited face. y of the input is estimated by D's attribute head (the probability D gives each attribute).",
                "--via z moves E(x) by strength x the attribute's vector (needs facegan attributes); --via y sets the attribute in y to strength (adding) or 1 - strength (removing); both does both. facegan serve offers the same edits in the browser."},
        footer = {"", "Example:", "  facegan edit --run runs/faces32-synthetic --add Smiling --out smiling.png face.png"})
public final class EditCommand implements Callable<Integer> {
    /** Where an edit is applied. */
    public enum Via { z, y, both }

    @Mixin
    RunOption run;

    @Parameters(paramLabel = "IMAGE", arity = "1", description = "A PNG or JPEG face.")
    Path image;

    @Option(names = "--add", paramLabel = "ATTR", description = "Attribute to add (repeatable), e.g. Smiling.")
    List<String> add = List.of();

    @Option(names = "--remove", paramLabel = "ATTR", description = "Attribute to remove (repeatable), e.g. Blond_Hair.")
    List<String> remove = List.of();

    @Option(names = "--strength", defaultValue = "1", description = "How far to move. Default: ${DEFAULT-VALUE}.")
    float strength;

    @Option(names = "--via", defaultValue = "z", description = "z, y or both. Default: ${DEFAULT-VALUE}.")
    Via via;

    @Option(names = "--out", paramLabel = "FILE.png", defaultValue = "edit.png", description = "Output PNG. Default: ${DEFAULT-VALUE}.")
    Path out;

    /** One edit: an attribute and a direction, +1 add or -1 remove. */
    record Edit(String attribute, int sign, String option) {}

    @Override
    public Integer call() {
        List<Edit> edits = new ArrayList<>();
        add.forEach(a -> edits.add(new Edit(a, +1, "--add")));
        remove.forEach(a -> edits.add(new Edit(a, -1, "--remove")));
        if (edits.isEmpty()) throw new IllegalArgumentException("give at least one --add ATTR or --remove ATTR");
        if (!Float.isFinite(strength)) throw new IllegalArgumentException("--strength must be a number, found " + strength);
        OutputFiles.require(out, ".png");
        try (LoadedRun r = LoadedRun.open(run)) {
            int[] index = edits.stream().mapToInt(e -> r.attribute(e.option(), e.attribute())).toArray();
            AttributeVectors vectors = via == Via.y ? null : r.attributeVectors();
            float[] x = new float[r.pixels()];
            ImageFiles.read(image, r.size, x, 0);
            float[] z = r.encode(x, 1);
            float[] y = r.estimateY(x, 1);
            int n = edits.size();
            // rows of the strip: [input, reconstruction, edited] per edit
            float[] zs = new float[2 * n * r.zDim], ys = new float[2 * n * r.yDim];
            for (int i = 0; i < n; i++) {
                Edit e = edits.get(i);
                float[] editedZ = via == Via.y ? z : LatentEdits.alongZ(z, vectors.vector(index[i]), e.sign(), strength);
                float[] editedY = via == Via.z ? y : LatentEdits.alongY(y, index[i], e.sign(), strength);
                System.arraycopy(z, 0, zs, 2 * i * r.zDim, r.zDim);
                System.arraycopy(y, 0, ys, 2 * i * r.yDim, r.yDim);
                System.arraycopy(editedZ, 0, zs, (2 * i + 1) * r.zDim, r.zDim);
                System.arraycopy(editedY, 0, ys, (2 * i + 1) * r.yDim, r.yDim);
            }
            float[] generated = r.generate(zs, ys, 2 * n);
            float[] strip = new float[3 * n * r.pixels()];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, 0, strip, 3 * i * r.pixels(), r.pixels());
                System.arraycopy(generated, 2 * i * r.pixels(), strip, (3 * i + 1) * r.pixels(), 2 * r.pixels());
                System.out.println("row " + (i + 1) + ": " + (edits.get(i).sign() > 0 ? "+" : "-") + edits.get(i).attribute()
                        + " via " + via + ", strength " + strength);
            }
            ImageGrid.writePng(ImageGrid.grid(strip, 3 * n, r.size, 3), out);
            System.out.println("wrote " + n + " edits (step " + r.step + ") to " + out);
        }
        return ExitCodes.OK;
    }
}
