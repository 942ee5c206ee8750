package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latent-space commands end to end on one short training run of a tiny model on the built-in faces. */
class LatentCliTest {
    static final int STEPS = 150;

    @TempDir
    static Path tmp;
    static Path runDir;

    static CliTest.Outcome run(String... args) {
        return CliTest.run(args);
    }

    @BeforeAll
    static void train() throws Exception {
        Path model = tmp.resolve("tiny.json");
        Files.writeString(model, CliTest.TINY_MODEL);
        runDir = tmp.resolve("run");
        CliTest.Outcome train = run("train", "--data", "synthetic:256", "--model", model.toString(), "--steps",
                Integer.toString(STEPS), "--batch", "16", "--sample-every", "1000", "--run", runDir.toString(),
                "--export", "none");
        assertThat(train.code()).as(train.err()).isZero();
    }

    @Test
    void walkWritesALoopingGifOfTheRequestedFrames() throws Exception {
        Path gif = tmp.resolve("walk.gif");
        CliTest.Outcome o = run("walk", "--run", runDir.toString(), "--frames", "9", "--keys", "3",
                "--attr", "Smiling=1", "--out", gif.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(org.facegan.latent.AnimatedGifTest.frameDelays(gif)).hasSize(9).containsOnly(8);
        assertThat(javax.imageio.ImageIO.read(gif.toFile()).getWidth()).isEqualTo(32);
    }

    @Test
    void walkRefusesFewerFramesThanKeys() {
        CliTest.Outcome o = run("walk", "--run", runDir.toString(), "--frames", "3", "--keys", "6");
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains("--frames").contains("found 3");
        assertThat(o.err().lines()).hasSize(1);
    }
}
