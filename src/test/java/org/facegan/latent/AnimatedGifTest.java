package org.facegan.latent;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class AnimatedGifTest {
    /** Decodes every frame of a GIF with ImageIO; returns the frames' delays in hundredths of a second. */
    public static List<Integer> frameDelays(Path gif) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            int n = reader.getNumImages(true);
            List<Integer> delays = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                assertThat(reader.read(i)).isNotNull();
                IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode control = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
                delays.add(Integer.parseInt(control.getAttribute("delayTime")));
            }
            return delays;
        } finally {
            reader.dispose();
        }
    }

    @Test
    void writesALoopingGifWithEveryFrame(@TempDir Path tmp) throws Exception {
        List<BufferedImage> frames = new ArrayList<>();
        for (int f = 0; f < 7; f++) {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(new Color(30 * f, 255 - 30 * f, 100));
            g.fillRect(0, 0, 16, 16);
            g.dispose();
            frames.add(img);
        }
        Path gif = tmp.resolve("out/walk.gif");
        AnimatedGif.write(frames, 120, gif);
        assertThat(frameDelays(gif)).hasSize(7).containsOnly(12);
        String bytes = new String(Files.readAllBytes(gif), StandardCharsets.ISO_8859_1);
        assertThat(bytes).contains("NETSCAPE2.0");
        assertThat(ImageIO.read(gif.toFile()).getRGB(8, 8) & 0xffffff).isEqualTo(new Color(0, 255, 100).getRGB() & 0xffffff);
        try (var list = Files.list(gif.getParent())) {
            assertThat(list).containsExactly(gif);  // no temporary file left behind
        }
    }
}
