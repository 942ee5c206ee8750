package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything downstream of training works for a VAE/GAN run: sample, export, encode, reconstruct, edit, projector, eval. */
class VaeGanCliTest {
    @Test
    void aVaeGanRunGoesThroughEveryCommand(@TempDir Path tmp) throws Exception {
        Path model = Files.writeString(tmp.resolve("tiny.json"), CliTest.TINY_MODEL);
        Path run = tmp.resolve("run"), export = tmp.resolve("export");
        CliTest.Outcome train = CliTest.run("train", "--mode", "vaegan", "--data", "synthetic:200", "--model",
                model.toString(), "--steps", "20", "--batch", "8", "--run", run.toString(), "--export", export.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(Files.readString(run.resolve("config.json"))).contains("\"mode\" : \"vaegan\"");
        String[][] commands = {
                {"sample", "--run", run.toString(), "--count", "4", "--out", tmp.resolve("s.png").toString()},
                {"encode", "--run", export.resolve("1").toString(), "--data", "synthetic:8", "--out", tmp.resolve("z.tsv").toString()},
                {"reconstruct", "--run", run.toString(), "--data", "synthetic:8", "--count", "4", "--out", tmp.resolve("r.png").toString()},
                {"attributes", "--run", run.toString(), "--data", "synthetic:200", "--count", "100"},
                {"edit", "--run", run.toString(), tmp.resolve("s.png").toString(), "--add", "Smiling", "--out", tmp.resolve("e.png").toString()},
                {"projector", "--run", run.toString(), "--count", "20", "--out", tmp.resolve("proj").toString()},
                {"eval", "--run", run.toString(), "--count", "20", "--classifier-steps", "20", "--nuisance-steps", "20"},
        };
        for (String[] c : commands) {
            CliTest.Outcome o = CliTest.run(c);
            assertThat(o.code()).as(String.join(" ", c) + ": " + o.err()).isZero();
        }
        assertThat(Files.readAllLines(tmp.resolve("z.tsv"))).hasSize(8);
        assertThat(run.resolve("eval.json")).isRegularFile();
    }
}
