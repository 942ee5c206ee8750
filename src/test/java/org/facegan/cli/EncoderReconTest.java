package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.facegan.data.SyntheticDataset;
import org.facegan.export.InferenceGraph;
import org.facegan.train.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --encoder-recon}: E fine-tuned on real faces through the frozen G. With {@code --latent-recon 0}, E
 * never feeds back into D or G, so two runs that differ only in this option have the same G (up to kernel
 * round-off), and the comparison isolates E.
 */
class EncoderReconTest {
    static final int STEPS = 120, N = 32;

    static Path train(Path tmp, String name, String... extra) throws Exception {
        Path model = tmp.resolve("tiny.json");
        Files.writeString(model, CliTest.TINY_MODEL);
        Path runDir = tmp.resolve(name);
        String[] base = {"train", "--data", "synthetic:256", "--model", model.toString(), "--steps", "" + STEPS,
                "--batch", "16", "--sample-every", "1000", "--threads", "1", "--run", runDir.toString(), "--export", "none",
                "--latent-recon", "0"};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        CliTest.Outcome o = CliTest.run(args);
        assertThat(o.code()).as(o.err()).isZero();
        return runDir;
    }

    /** Mean squared pixel error of G(E(x), y) against x over the first N training faces. */
    static double reconstructionError(Path runDir) {
        RunDirectory run = new RunDirectory(runDir);
        var record = run.read();
        var faces = new SyntheticDataset(0, 32, N);
        int pixels = 32 * 32 * 3, a = record.attributes().size();
        float[] x = new float[N * pixels], y = new float[N * a];
        for (int i = 0; i < N; i++) {
            faces.image(i, x, i * pixels);
            System.arraycopy(faces.attributes(i), 0, y, i * a, a);
        }
        try (InferenceGraph g = InferenceGraph.restore(record.options().model(), a, record.options().averagesGenerator(),
                run.checkpoints(3).latest().orElseThrow().prefix(), 1)) {
            float[] back = g.generate(g.encode(x, N), y, N);
            double sum = 0;
            for (int i = 0; i < x.length; i++) sum += (back[i] - x[i]) * (double) (back[i] - x[i]);
            return sum / x.length;
        }
    }

    @Test
    void reconstructionLossMakesERecoverRealFacesBetter(@TempDir Path tmp) throws Exception {
        Path plain = train(tmp, "plain");
        Path recon = train(tmp, "recon", "--encoder-recon", "10");
        assertThat(new RunDirectory(recon).read().options().encoderRecon()).isEqualTo(10f);
        assertThat(new RunDirectory(plain).read().options().encoderRecon()).isZero();
        double without = reconstructionError(plain), with = reconstructionError(recon);
        // a claim about training, not a rounding: the option improves E. Measured with/without = 0.951 for this seed
        // (the default, 1) run alone, 0.947 after other tests in the same JVM (TensorFlow's process-wide state follows
        // the first session's threads), and 0.68 to 0.89 with seeds 2 to 8 (mean 0.79, standard deviation 0.09 over
        // all eight): another processor's kernels change the trajectory as a seed does. The former bound, 0.97, sat
        // 0.02 from this seed's value, under a quarter of that spread. Strictly below 1 still fails when the option
        // does nothing: with --threads 1 the two runs are then the same computation and the ratio is exactly 1.
        assertThat(with).as("pixel MSE with --encoder-recon vs without (%s)", without).isLessThan(without);
    }

    @Test
    void negativeWeightIsRefused(@TempDir Path tmp) {
        CliTest.Outcome o = CliTest.run("train", "--encoder-recon", "-1", "--run", tmp.resolve("r").toString());
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains("--encoder-recon").contains("found -1");
        assertThat(o.err().lines()).hasSize(1);
    }

    @Test
    void runsMadeBeforeTheOptionReadAsOff(@TempDir Path tmp) throws Exception {
        var options = org.facegan.testing.Fixtures.options("synthetic", org.facegan.testing.Fixtures.TINY, 1, 0);
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) RunDirectory.JSON.valueToTree(
                new RunDirectory.RunRecord(options, java.util.List.of("Male"), 10));
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("options")).remove("encoderRecon");
        Files.createDirectories(tmp.resolve("old"));
        RunDirectory.JSON.writeValue(tmp.resolve("old/config.json").toFile(), tree);
        var read = new RunDirectory(tmp.resolve("old")).read();
        assertThat(read.options().encoderRecon()).isZero();
        assertThat(read.options()).isEqualTo(options);
    }
}
