package org.facegan.export;

import com.google.protobuf.TextFormat;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.facegan.data.FaceDataset;
import org.facegan.data.ImageGrid;
import org.facegan.io.AtomicFiles;
import org.facegan.proto.projector.EmbeddingInfo;
import org.facegan.proto.projector.ProjectorConfig;
import org.facegan.proto.projector.SpriteMetadata;
import org.facegan.train.StepDraws;
import org.facegan.train.Summaries;

/**
 * Files for TensorBoard's embedding projector: two embeddings in one {@code projector_config.pbtxt}.
 * <ul>
 *   <li>{@code E(x) of dataset faces}: {@code tensors.tsv} (E(x), one row a face), {@code metadata.tsv} (header
 *       {@code index} plus every attribute, so points can be coloured by any of them), {@code sprite.png};</li>
 *   <li>{@code z of generated faces}: {@code generated-tensors.tsv} (the z that made each face),
 *       {@code generated-metadata.tsv} (its y), {@code generated-sprite.png} (G(z, y)).</li>
 * </ul>
 * An event file with histograms of both makes TensorBoard list the directory as a run.
 * Sprites are square, thumbnails in row-major order, at most {@value #MAX_SPRITE} px a side (TensorBoard's limit):
 * the thumbnail size is the image size, or smaller where that would not fit.
 */
public final class Projector {
    public static final int MAX_SPRITE = 8192;
    public static final String CONFIG = "projector_config.pbtxt";
    public static final String DATASET_TENSOR = "E(x) of dataset faces";
    public static final String GENERATED_TENSOR = "z of generated faces";
    public static final String DATASET_HISTOGRAM = "projector/dataset_e_x";
    public static final String GENERATED_HISTOGRAM = "projector/generated_z";
    private static final int BATCH = 64;

    private Projector() {}

    /** What was written. */
    public record Written(Path dir, int count, int thumbnail, int spriteSide, ProjectorConfig config) {}

    /**
     * Writes both embeddings of the first {@code count} faces of {@code data} (and {@code count} generated faces,
     * z from N(0, 1) with {@code seed}, y of dataset face i for generated face i) into {@code dir}.
     */
    public static Written write(InferenceGraph g, FaceDataset data, int count, long seed, long step, Path dir) {
        if (count < 1) throw new IllegalArgumentException("--count must be at least 1, found " + count);
        if (count > data.size()) {
            throw new IllegalArgumentException("--count " + count + " is more than the dataset's " + data.size() + " faces");
        }
        if (data.attributeNames().size() != g.yDim) {
            throw new IllegalArgumentException("dataset has " + data.attributeNames().size() + " attributes but the run has " + g.yDim);
        }
        int s = data.imageSize(), pixels = s * s * 3, zDim = g.model.zDim(), yDim = g.yDim;
        List<String> attributes = data.attributeNames();
        float[] images = new float[count * pixels];
        float[] ys = new float[count * yDim];
        for (int i = 0; i < count; i++) {
            data.image(i, images, i * pixels);
            System.arraycopy(data.attributes(i), 0, ys, i * yDim, yDim);
        }
        float[] encoded = new float[count * zDim];
        float[] z = new float[count * zDim];
        StepDraws.gaussian(new SplittableRandom(seed), z);
        float[] generated = new float[count * pixels];
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            float[] batch = new float[n * pixels];
            System.arraycopy(images, start * pixels, batch, 0, batch.length);
            System.arraycopy(g.encode(batch, n), 0, encoded, start * zDim, n * zDim);
            float[] zb = new float[n * zDim], yb = new float[n * yDim];
            System.arraycopy(z, start * zDim, zb, 0, zb.length);
            System.arraycopy(ys, start * yDim, yb, 0, yb.length);
            System.arraycopy(g.generate(zb, yb, n), 0, generated, start * pixels, n * pixels);
        }

        int cols = columns(count);
        int thumb = thumbnail(count, s);
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve("tensors.tsv"), tsv(encoded, count, zDim));
            AtomicFiles.write(dir.resolve("metadata.tsv"), metadata(attributes, ys, count));
            AtomicFiles.write(dir.resolve("sprite.png"), sprite(images, count, s, cols, thumb));
            AtomicFiles.write(dir.resolve("generated-tensors.tsv"), tsv(z, count, zDim));
            AtomicFiles.write(dir.resolve("generated-metadata.tsv"), metadata(attributes, ys, count));
            AtomicFiles.write(dir.resolve("generated-sprite.png"), sprite(generated, count, s, cols, thumb));
            ProjectorConfig config = ProjectorConfig.newBuilder()
                    .addEmbeddings(embedding(DATASET_TENSOR, "", count, zDim, thumb))
                    .addEmbeddings(embedding(GENERATED_TENSOR, "generated-", count, zDim, thumb))
                    .build();
            AtomicFiles.write(dir.resolve(CONFIG), TextFormat.printer().printToString(config).getBytes(StandardCharsets.UTF_8));
            writeEvents(dir, step, encoded, z);
            return new Written(dir, count, thumb, cols * thumb, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the projector files to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Thumbnails a sprite row: ceil(sqrt(count)), so the sprite is square. */
    public static int columns(int count) {
        int cols = (int) Math.sqrt(count);
        return cols * cols < count ? cols + 1 : cols;
    }

    /** The thumbnail size: the image size, or the largest that keeps the sprite within {@value #MAX_SPRITE} px. */
    public static int thumbnail(int count, int imageSize) {
        int thumb = Math.min(imageSize, MAX_SPRITE / columns(count));
        if (thumb < 1) throw new IllegalArgumentException("--count " + count + ": too many faces for one " + MAX_SPRITE + " px sprite");
        return thumb;
    }

    /**
     * An event file with histograms of both embeddings. TensorBoard's projector only looks in the log directory
     * itself and in directories holding event files, so this is what makes {@code tensorboard --logdir RUN} find
     * RUN/projector (as the run {@code projector}). Older event files of this directory are replaced.
     */
    private static void writeEvents(Path dir, long step, float[] encoded, float[] z) throws IOException {
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList()) {
                Files.delete(p);
            }
        }
        try (Summaries events = new Summaries(dir)) {
            events.histogram(DATASET_HISTOGRAM, step, encoded);
            events.histogram(GENERATED_HISTOGRAM, step, z);
        }
    }

    private static EmbeddingInfo embedding(String name, String prefix, int count, int zDim, int thumb) {
        return EmbeddingInfo.newBuilder().setTensorName(name).addTensorShape(count).addTensorShape(zDim)
                .setTensorPath(prefix + "tensors.tsv").setMetadataPath(prefix + "metadata.tsv")
                .setSprite(SpriteMetadata.newBuilder().setImagePath(prefix + "sprite.png")
                        .addSingleImageDim(thumb).addSingleImageDim(thumb))
                .build();
    }

    /** One row per vector, tab-separated, no header (the projector's tensor format). */
    static byte[] tsv(float[] values, int rows, int width) {
        StringBuilder b = new StringBuilder(rows * width * 12);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                if (c > 0) b.append('\t');
                b.append(Float.toString(values[r * width + c]));
            }
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Header {@code index, attribute...}, then one row per point (attributes as 0/1, or the value if not binary). */
    static byte[] metadata(List<String> attributes, float[] ys, int rows) {
        StringBuilder b = new StringBuilder("index");
        for (String a : attributes) b.append('\t').append(a);
        b.append('\n');
        int yDim = attributes.size();
        for (int r = 0; r < rows; r++) {
            b.append(r);
            for (int a = 0; a < yDim; a++) {
                float v = ys[r * yDim + a];
                b.append('\t').append(v == Math.rint(v) ? Integer.toString((int) v) : String.format(Locale.ROOT, "%g", v));
            }
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A square PNG, {@code cols * thumb} px a side, thumbnails row-major without gaps. */
    static byte[] sprite(float[] images, int count, int size, int cols, int thumb) throws IOException {
        BufferedImage sprite = new BufferedImage(cols * thumb, cols * thumb, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sprite.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            for (int i = 0; i < count; i++) {
                BufferedImage face = ImageGrid.fromFloats(images, i * size * size * 3, size);
                g.drawImage(face, (i % cols) * thumb, (i / cols) * thumb, thumb, thumb, null);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(sprite, "png", out)) throw new IOException("no PNG writer");
        return out.toByteArray();
    }
}
