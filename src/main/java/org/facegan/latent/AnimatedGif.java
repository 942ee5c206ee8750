package org.facegan.latent;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.facegan.io.AtomicFiles;

/**
 * Writes frames as an animated GIF with javax.imageio's GIF writer: each frame gets a graphic control
 * extension with the frame delay, and the first an application extension {@code NETSCAPE2.0} with loop count 0
 * (loop forever), which browsers and viewers honour. Written atomically.
 */
public final class AnimatedGif {
    private AnimatedGif() {}

    /**
     * @param frames at least one frame, all of one size (RGB images are quantised to 256 colours by the writer)
     * @param delayMs time each frame is shown, in milliseconds (GIF stores hundredths of a second, at least 1)
     * @param file the .gif to write
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static void write(List<BufferedImage> frames, int delayMs, Path file) {
        if (frames.isEmpty()) throw new IllegalArgumentException("an animated GIF needs at least one frame");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        Path target = file.toAbsolutePath();
        Path tmp = AtomicFiles.temporarySibling(target);
        try {
            Files.createDirectories(target.getParent());
            try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < frames.size(); i++) {
                    BufferedImage frame = frames.get(i);
                    IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(frame), null);
                    configure(metadata, Math.max(1, Math.round(delayMs / 10f)), i == 0);
                    writer.writeToSequence(new IIOImage(frame, null, metadata), null);
                }
                writer.endWriteSequence();
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            writer.dispose();
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the move succeeded or the original error is more useful
            }
        }
    }

    private static void configure(IIOMetadata metadata, int delayCs, boolean first) throws IOException {
        String format = metadata.getNativeMetadataFormatName();  // javax_imageio_gif_image_1.0
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delayCs));
        control.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0});  // sub-block 1: loop count 0 (little endian) = forever
            child(root, "ApplicationExtensions").appendChild(app);
        }
        metadata.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
