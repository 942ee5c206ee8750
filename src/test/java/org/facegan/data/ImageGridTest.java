package org.facegan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.facegan.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    @TempDir
    Path tmp;

    @Test
    void floatsSurviveARoundTripWithinOneQuantisationStep() {
        int size = 8;
        float[] x = new float[size * size * 3];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-1, 1);
        x[0] = -1;
        x[1] = 1;
        float[] back = new float[x.length + 3];
        ImageGrid.toFloats(ImageGrid.fromFloats(x, 0, size), back, 3);
        // rounding to the nearest level moves a value by at most half a level; the float32 arithmetic of the two
        // conversions, (x + 1)·127.5 and b/127.5 − 1 (two roundings each, of values up to 2 and 255 levels), adds
        // at most 7u in [-1, 1]
        float quantisation = (float) (Tolerance.PIXEL_LEVEL / 2 + 8 * Tolerance.FLOAT32);
        for (int i = 0; i < x.length; i++) assertThat(back[i + 3]).isCloseTo(x[i], within(quantisation));
        assertThat(back[3]).isEqualTo(-1f);
        assertThat(back[4]).isEqualTo(1f);
    }

    @Test
    void outOfRangeValuesAreClipped() {
        float[] x = {-3, 2, 0};
        int rgb = ImageGrid.fromFloats(x, 0, 1).getRGB(0, 0);
        assertThat((rgb >> 16) & 0xff).isZero();
        assertThat((rgb >> 8) & 0xff).isEqualTo(255);
        assertThat(rgb & 0xff).isIn(127, 128);
    }

    @Test
    void gridHasRowsColumnsAndGaps() {
        int size = 4, count = 7, pixels = size * size * 3;
        float[] images = new float[count * pixels];
        for (int i = 0; i < count; i++) java.util.Arrays.fill(images, i * pixels, (i + 1) * pixels, -1f); // black
        BufferedImage grid = ImageGrid.grid(images, count, size, 3);
        assertThat(grid.getWidth()).isEqualTo(3 * size + 2 * ImageGrid.GAP);
        assertThat(grid.getHeight()).isEqualTo(3 * size + 2 * ImageGrid.GAP);
        assertThat(grid.getRGB(0, 0) & 0xffffff).isZero(); // tile 0
        assertThat(grid.getRGB(size, 0) & 0xffffff).isEqualTo(0xffffff); // gap
        assertThat(grid.getRGB(size + ImageGrid.GAP, size + ImageGrid.GAP) & 0xffffff).isZero(); // tile 4
        assertThat(grid.getRGB(grid.getWidth() - 1, grid.getHeight() - 1) & 0xffffff).isEqualTo(0xffffff); // empty cell

        assertThat(ImageGrid.grid(images, 2, size, 8).getWidth()).as("fewer images than columns")
                .isEqualTo(2 * size + ImageGrid.GAP);
    }

    @Test
    void writesPngAtomicallyAndReplaces() throws Exception {
        float[] face = new float[32 * 32 * 3];
        ImageGrid.toFloats(SyntheticFaces.render(1, 0, 32).image(), face, 0);
        Path file = tmp.resolve("sub/grid.png");
        ImageGrid.writePng(ImageGrid.grid(face, 1, 32, 1), file);
        ImageGrid.writePng(ImageGrid.grid(face, 1, 32, 1), file);
        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back.getWidth()).isEqualTo(32);
        float[] decoded = new float[face.length];
        ImageGrid.toFloats(back, decoded, 0);
        assertThat(decoded).isEqualTo(face);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }
}
