package org.facegan.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Writes JPEGs with javax.imageio at an explicit quality and without chroma subsampling (4:4:4), so that small
 * colour details such as red lips survive at 32 px.
 */
final class Jpeg {
    private static final String METADATA_FORMAT = "javax_imageio_jpeg_image_1.0";

    private Jpeg() {}

    /**
     * @param img a TYPE_INT_RGB image
     * @param file the file to create or replace
     * @param quality JPEG quality in (0, 1], e.g. 0.95
     */
    static void write(BufferedImage img, Path file, float quality) throws IOException {
        if (!(quality > 0 && quality <= 1)) throw new IllegalArgumentException("quality must be in (0, 1], found " + quality);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) throw new IOException("no JPEG writer in javax.imageio");
        Files.deleteIfExists(file);
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
            noChromaSubsampling(metadata);
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, metadata), param);
        } finally {
            writer.dispose();
        }
    }

    /** Sets every component's horizontal and vertical sampling factor to 1 in the SOF marker. */
    private static void noChromaSubsampling(IIOMetadata metadata) throws IOException {
        Node tree = metadata.getAsTree(METADATA_FORMAT);
        NodeList components = ((Element) tree).getElementsByTagName("componentSpec");
        for (int i = 0; i < components.getLength(); i++) {
            Element c = (Element) components.item(i);
            c.setAttribute("HsamplingFactor", "1");
            c.setAttribute("VsamplingFactor", "1");
        }
        metadata.setFromTree(METADATA_FORMAT, tree);
    }
}
