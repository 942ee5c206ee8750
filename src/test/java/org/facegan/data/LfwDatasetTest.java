package org.facegan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LFW's tree and LFWcrop's flat .ppm folder, joined to lfw_attributes.txt, on fixtures in their layouts. */
class LfwDatasetTest {
    static final String TABLE = "# LFW attributes (Kumar et al.)\n"
            + "#\tperson\timagenum\tMale\tSmiling\n"
            + "Aaron Eckhart\t1\t1.5\t-0.5\n"
            + "Aaron Eckhart\t2\t0.5\t2.5\n"
            + "Zoe Ball\t1\t-1.0\t0.5\n"
            + "Nobody Here\t1\t0.0\t0.0\n";

    @Test
    void lfwTreeJoinsPhotosToRowsAndStandardisesY(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(LfwDataset.ATTRIBUTES_FILE), TABLE);
        jpeg(dir.resolve("lfw/Aaron_Eckhart/Aaron_Eckhart_0001.jpg"), 250, 0xff0000);
        jpeg(dir.resolve("lfw/Aaron_Eckhart/Aaron_Eckhart_0002.jpg"), 250, 0x00ff00);
        jpeg(dir.resolve("lfw/Zoe_Ball/Zoe_Ball_0001.jpg"), 250, 0x0000ff);
        jpeg(dir.resolve("lfw/Zoe_Ball/Zoe_Ball_0002.jpg"), 250, 0xffffff);   // no row: left out

        LfwDataset.Joined joined = LfwDataset.join(dir);
        assertThat(joined.names()).containsExactly("Male", "Smiling");
        assertThat(joined.files()).extracting(p -> p.getFileName().toString())
                .containsExactly("Aaron_Eckhart_0001.jpg", "Aaron_Eckhart_0002.jpg", "Zoe_Ball_0001.jpg");
        assertThat(joined.photosWithoutRow()).isEqualTo(1);
        assertThat(joined.rowsWithoutPhoto()).isEqualTo(1);

        PackedDataset faces = LfwDataset.open(dir, 100, 32, null, n -> {});
        assertThat(faces.size()).isEqualTo(3);
        for (int a = 0; a < 2; a++) {
            double mean = 0, square = 0;
            for (int i = 0; i < 3; i++) mean += faces.attributes(i)[a] / 3.0;
            for (int i = 0; i < 3; i++) square += Math.pow(faces.attributes(i)[a] - mean, 2) / 3.0;
            // standardised in double, then each value rounded once to float32 (relative error ≤ u; the three values'
            // norm is √3): their mean moves by at most u·Σ|y|/3 ≤ u and their standard deviation by at most u; the
            // second u covers this loop's double arithmetic
            assertThat(mean).isCloseTo(0, within(2 * Tolerance.FLOAT32));
            assertThat(Math.sqrt(square)).isCloseTo(1, within(2 * Tolerance.FLOAT32));
        }
        assertThat(faces.attributes(0)[0]).isGreaterThan(faces.attributes(1)[0]).isGreaterThan(faces.attributes(2)[0]);
        float[] pixels = new float[32 * 32 * 3];
        faces.image(1, pixels, 0);
        // the green photo: JPEG keeps a flat colour to a few levels (its green channel measured at level 255 here;
        // 0.9 is 12 levels below), and the red and blue photos have no green (-1)
        assertThat(pixels[1]).isGreaterThan(0.9f);
    }

    @Test
    void lfwcropFlatPpmFolderLoads(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(LfwDataset.ATTRIBUTES_FILE), TABLE);
        ppm(dir.resolve("lfwcrop_color/faces/Aaron_Eckhart_0001.ppm"), 64, 200);
        ppm(dir.resolve("lfwcrop_color/faces/Zoe_Ball_0001.ppm"), 64, 40);
        PackedDataset faces = LfwDataset.open(dir, 0, 32, null, n -> {});
        assertThat(faces.size()).isEqualTo(2);
        float[] pixels = new float[32 * 32 * 3];
        faces.image(0, pixels, 0);
        // PPM is lossless, and area averaging a flat grey square is a mean of equal levels, at most one level off
        // after its rounding; the float32 conversion adds a few u
        assertThat(pixels[0]).isCloseTo(200 / 127.5f - 1, within((float) (Tolerance.PIXEL_LEVEL + 4 * Tolerance.FLOAT32)));
    }

    @Test
    void malformedRowNamesFileAndLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(LfwDataset.ATTRIBUTES_FILE), TABLE + "Zoe Ball\tx\t1\t2\n");
        jpeg(dir.resolve("Zoe_Ball_0001.jpg"), 64, 0);
        assertThatThrownBy(() -> LfwDataset.join(dir)).hasMessageContaining("lfw_attributes.txt:7")
                .hasMessageContaining("image number");
        Files.writeString(dir.resolve(LfwDataset.ATTRIBUTES_FILE), "Zoe Ball\t1\t1\t2\n");
        assertThatThrownBy(() -> LfwDataset.join(dir)).hasMessageContaining("lfw_attributes.txt:1")
                .hasMessageContaining("header");
    }

    private static void jpeg(Path file, int size, int rgb) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < size; x++) for (int y = 0; y < size; y++) img.setRGB(x, y, rgb);
        assertThat(ImageIO.write(img, "jpg", file.toFile())).isTrue();
    }

    /** A binary P6 PPM, as LFWcrop ships, of one grey level. */
    private static void ppm(Path file, int size, int level) throws Exception {
        Files.createDirectories(file.getParent());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("P6\n" + size + " " + size + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < size * size * 3; i++) out.write(level);
        Files.write(file, out.toByteArray());
    }
}
