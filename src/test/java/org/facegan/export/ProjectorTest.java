package org.facegan.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.TextFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.facegan.data.FaceDataset;
import org.facegan.proto.projector.ProjectorConfig;
import org.facegan.testing.Fixtures;
import org.facegan.testing.NetworkRoundoff;
import org.facegan.train.Checkpoints;
import org.facegan.train.RunDirectory;
import org.facegan.train.Trainer;
import org.facegan.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The projector files: E(x) rows, metadata with every attribute, square sprites, a config TensorBoard parses. */
class ProjectorTest {
    static final int Y = 3, COUNT = 10;
    static final FaceDataset DATA = Fixtures.noiseFaces(20, 32, Y);

    @TempDir
    static Path tmp;
    static Checkpoints.Checkpoint checkpoint;

    @BeforeAll
    static void trainTinyRun() {
        checkpoint = new Trainer(Fixtures.options("noise", Fixtures.TINY, 2, 0), DATA, new RunDirectory(tmp.resolve("run")),
                (i, g, s, f) -> {}).train(TrainingListener.NONE);
    }

    @Test
    void writesBothEmbeddings() throws Exception {
        Path dir = tmp.resolve("projector");
        int zDim = Fixtures.TINY.zDim();
        try (InferenceGraph g = InferenceGraph.restore(Fixtures.TINY, Y, false, checkpoint.prefix(), 0)) {
            Projector.Written w = Projector.write(g, DATA, COUNT, 0, 2, dir);
            assertThat(w.thumbnail()).isEqualTo(32);
            assertThat(w.spriteSide()).isEqualTo(4 * 32);

            List<String> tensors = Files.readAllLines(dir.resolve("tensors.tsv"));
            assertThat(tensors).hasSize(COUNT);
            float[] first = new float[32 * 32 * 3];
            DATA.image(3, first, 0);
            float[] e = g.encode(first, 1);
            String[] row = tensors.get(3).split("\t");
            assertThat(row).hasSize(zDim);
            // the file holds E of a batch of faces (Float.toString: exact), this E of one face: reordered sums
            double largest = 0;
            for (float v : e) largest = Math.max(largest, Math.abs(v));
            float rounding = (float) (NetworkRoundoff.encoder(Fixtures.TINY) * largest);
            for (int i = 0; i < zDim; i++) assertThat(Float.parseFloat(row[i])).isCloseTo(e[i], within(rounding));
            assertThat(Files.readAllLines(dir.resolve("generated-tensors.tsv"))).hasSize(COUNT)
                    .allSatisfy(r -> assertThat(r.split("\t")).hasSize(zDim));
        }
        for (String prefix : List.of("", "generated-")) {
            List<String> metadata = Files.readAllLines(dir.resolve(prefix + "metadata.tsv"));
            assertThat(metadata).hasSize(COUNT + 1);
            assertThat(metadata.get(0)).isEqualTo("index\tAttr_0\tAttr_1\tAttr_2");
            float[] y = DATA.attributes(5);
            assertThat(metadata.get(6)).isEqualTo("5\t" + (int) y[0] + "\t" + (int) y[1] + "\t" + (int) y[2]);
            var sprite = ImageIO.read(dir.resolve(prefix + "sprite.png").toFile());
            assertThat(sprite.getWidth()).isEqualTo(sprite.getHeight()).isEqualTo(128);
        }
        ProjectorConfig config = TextFormat.parse(Files.readString(dir.resolve(Projector.CONFIG)), ProjectorConfig.class);
        assertThat(config.getEmbeddingsList()).extracting(x -> x.getTensorName())
                .containsExactly(Projector.DATASET_TENSOR, Projector.GENERATED_TENSOR);
        assertThat(config.getEmbeddings(1).getTensorShapeList()).containsExactly(COUNT, zDim);
        assertThat(config.getEmbeddings(1).getSprite().getImagePath()).isEqualTo("generated-sprite.png");
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp-*");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents."))).hasSize(1);
        }
    }

    @Test
    void thumbnailsShrinkSoTheSpriteFitsTensorBoardsLimit() {
        assertThat(Projector.columns(2000)).isEqualTo(45);
        assertThat(Projector.thumbnail(2000, 64)).isEqualTo(64);
        assertThat(Projector.thumbnail(100_000, 64)).isEqualTo(8192 / 317);
        assertThat(Projector.columns(100_000) * Projector.thumbnail(100_000, 64)).isLessThanOrEqualTo(8192);
        assertThatThrownBy(() -> Projector.thumbnail(100_000_000, 64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--count");
    }
}
