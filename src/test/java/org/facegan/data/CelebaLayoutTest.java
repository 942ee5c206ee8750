package org.facegan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CelebaLayoutTest {
    private static final int COUNT = 30, SIZE = 32;
    private static final long SEED = 9;

    @TempDir
    static Path shared;
    static Path dataset;
    static final List<Integer> progress = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void write() {
        dataset = shared.resolve("celeba");
        CelebaLayout.writeSynthetic(dataset, COUNT, SIZE, SEED, progress::add);
    }

    @Test
    void attributesReadBackAsWritten() {
        CelebaAttributes attributes = CelebaLayout.readAttributes(dataset);
        assertThat(attributes.names()).isEqualTo(SyntheticFaces.ATTRIBUTES);
        assertThat(attributes.size()).isEqualTo(COUNT);
        assertThat(attributes.files().get(0)).isEqualTo("000001.jpg");
        assertThat(attributes.files().get(COUNT - 1)).isEqualTo("000030.jpg");
        for (int i = 0; i < COUNT; i++) {
            assertThat(attributes.values()[i]).as("row %d", i).isEqualTo(SyntheticFaces.attributes(SEED, i));
        }
        assertThat(progress).hasSize(COUNT).isSorted().endsWith(COUNT);
    }

    @Test
    void fileLooksLikeCelebas() throws Exception {
        List<String> lines = Files.readAllLines(dataset.resolve(CelebaLayout.ATTRIBUTES_FILE));
        assertThat(lines).hasSize(COUNT + 2);
        assertThat(lines.get(0)).isEqualTo("30");
        assertThat(lines.get(1).strip()).isEqualTo(String.join(" ", SyntheticFaces.ATTRIBUTES));
        assertThat(lines.get(2)).matches("000001\\.jpg( -1|  1){10}");
    }

    @Test
    void imagesDecodeAtTheirSize() throws Exception {
        try (var files = Files.list(dataset.resolve(CelebaLayout.IMAGES_DIR))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(CelebaLayout.readAttributes(dataset).files());
        }
        BufferedImage img = ImageIO.read(dataset.resolve(CelebaLayout.IMAGES_DIR).resolve("000007.jpg").toFile());
        assertThat(img.getWidth()).isEqualTo(SIZE);
        assertThat(img.getHeight()).isEqualTo(SIZE);
        // quality 95, no chroma subsampling: close to the rendered face, within JPEG's quantisation noise at that
        // quality (4.1 levels RMS per channel, which bounds the mean absolute error). A smooth face measures less:
        // 2.0 levels; written at quality 75 it would measure 4.5
        BufferedImage rendered = SyntheticFaces.render(SEED, 6, SIZE).image();
        double error = 0;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int a = img.getRGB(x, y), b = rendered.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) error += Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff));
            }
        }
        assertThat(error / (SIZE * SIZE * 3)).as("mean absolute JPEG error")
                .isLessThan(Tolerance.jpegRms(Math.round(CelebaLayout.JPEG_QUALITY * 100)));
    }

    @Test
    void partitionCoversEveryFile() {
        Map<String, Integer> partition = CelebaLayout.readPartition(dataset);
        assertThat(partition.keySet()).containsExactlyElementsOf(CelebaLayout.readAttributes(dataset).files());
        assertThat(partition.values()).allMatch(v -> v >= 0 && v <= 2).contains(CelebaLayout.TRAIN);
    }

    @Test
    void partitionIsAboutEightyTenTen() {
        int n = 10_000;
        int[] counts = new int[3];
        for (int i = 0; i < n; i++) counts[CelebaLayout.partition(SEED, i)]++;
        // each image's split is a hash of (seed, index) spread evenly over [0, 1): shares of n draws
        assertThat(counts[0] / (double) n).isCloseTo(0.8, within(Tolerance.sampleShare(0.8, n)));
        assertThat(counts[1] / (double) n).isCloseTo(0.1, within(Tolerance.sampleShare(0.1, n)));
        assertThat(counts[2] / (double) n).isCloseTo(0.1, within(Tolerance.sampleShare(0.1, n)));
    }

    @Test
    void refusesANonEmptyDirectoryAndLeavesNoTemporaries() throws Exception {
        Path out = tmp.resolve("full");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "x");
        assertThatThrownBy(() -> CelebaLayout.writeSynthetic(out, 3, SIZE, 0, n -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(out.toString())
                .hasMessageContaining("not empty");
        try (var entries = Files.list(tmp)) {
            assertThat(entries).containsExactly(out);
        }
    }

    @Test
    void writesIntoAnEmptyDirectory() throws Exception {
        Path out = tmp.resolve("empty");
        Files.createDirectories(out);
        CelebaLayout.writeSynthetic(out, 2, 64, 0, n -> {});
        assertThat(CelebaLayout.readAttributes(out).size()).isEqualTo(2);
        assertThat(ImageIO.read(out.resolve("img_align_celeba/000002.jpg").toFile()).getWidth()).isEqualTo(64);
        try (var entries = Files.list(tmp)) {
            assertThat(entries).containsExactly(out);
        }
    }

    @Test
    void readerAcceptsAnyWhitespace() throws Exception {
        Files.writeString(tmp.resolve(CelebaLayout.ATTRIBUTES_FILE),
                "2\r\nA B\r\n000001.jpg  1 -1\r\n000002.jpg\t-1\t1   \r\n\r\n");
        CelebaAttributes a = CelebaLayout.readAttributes(tmp);
        assertThat(a.names()).containsExactly("A", "B");
        assertThat(a.values()[0]).containsExactly(1f, 0f);
        assertThat(a.values()[1]).containsExactly(0f, 1f);
    }

    @Test
    void malformedAttributeFilesNameTheLine() throws Exception {
        assertBad("2\nA B\n000001.jpg 1 -1\n000002.jpg 1\n", ":4: expected 3 fields", "found 2");
        assertBad("2\nA B\n000001.jpg 1 -1\n000002.jpg 1 x\n", ":4: expected 1 or -1 for B", "found 'x'");
        assertBad("two\nA B\n", ":1: expected the image count", "found 'two'");
        assertBad("3\nA B\n000001.jpg 1 -1\n000002.jpg 1 1\n", "line 1 gives 3 images", "found 2");
        assertBad("2\nA B\n000001.jpg 1 -1\n000001.jpg 1 1\n", ":4: duplicate file name 000001.jpg", "line 3");
        assertBad("", ":1: expected the image count", "end of the file");
        assertBad("2\n", ":2: expected the attribute names", "end of the file");
    }

    @Test
    void malformedOrMissingPartitionFilesAreNamed() throws Exception {
        assertThatThrownBy(() -> CelebaLayout.readPartition(tmp)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(tmp.resolve(CelebaLayout.PARTITION_FILE).toString()).hasMessageContaining("not found");
        Files.writeString(tmp.resolve(CelebaLayout.PARTITION_FILE), "000001.jpg 0\n000002.jpg 5\n");
        assertThatThrownBy(() -> CelebaLayout.readPartition(tmp)).hasMessageContaining(":2: expected a file name and 0, 1 or 2")
                .hasMessageContaining("000002.jpg 5");
    }

    private void assertBad(String content, String... fragments) throws Exception {
        Path file = tmp.resolve(CelebaLayout.ATTRIBUTES_FILE);
        Files.writeString(file, content);
        var thrown = assertThatThrownBy(() -> CelebaLayout.readAttributes(tmp)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file.toString()).hasMessageNotContaining("\n");
        for (String f : fragments) thrown.hasMessageContaining(f);
    }
}
