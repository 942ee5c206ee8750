package org.facegan.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.facegan.io.AtomicFiles;
import org.facegan.model.Tensors;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * How the evaluation's networks (the attribute classifier, the nuisance regressor) keep themselves in a run: the
 * session's weights as {@value #PREFIX}.* beside one JSON file of facts, written under a temporary name and renamed
 * into place.
 */
final class SavedNetwork {
    static final String PREFIX = "model";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SavedNetwork() {}

    /** Whether {@code dir} holds a saved network with its {@code info} file. */
    static boolean exists(Path dir, String info) {
        return Files.isRegularFile(dir.resolve(info)) && Files.isRegularFile(dir.resolve(PREFIX + ".index"));
    }

    /**
     * Writes {@code session}'s weights and {@code facts} as {@code info} under a temporary name, then renames the
     * directory into place.
     *
     * @param what the network, for the error message ("the classifier")
     */
    static void save(Session session, Path dir, String info, Object facts, String what) {
        Path temp = AtomicFiles.temporarySibling(dir);
        try {
            Files.createDirectories(temp);
            session.save(temp.resolve(PREFIX).toString());
            Files.write(temp.resolve(info), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(facts));
            AtomicFiles.deleteTree(dir);
            AtomicFiles.moveIntoPlace(temp, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + what + " to " + dir + ": " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteQuietly(temp);
        }
    }

    /** {@code trained}, saved to {@code dir} by {@code save} unless dir is null; closed if saving fails. */
    static <T extends AutoCloseable> T kept(T trained, Path dir, java.util.function.Consumer<Path> save) {
        if (dir == null) return trained;
        try {
            save.accept(dir);
            return trained;
        } catch (RuntimeException e) {
            try {
                trained.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Faces per session run when a network reads many: bounds the activations held at once. */
    static final int CALL_BATCH = 256;

    /**
     * {@code output} ([n, width]) of {@code n} faces {@code x} ([n, S, S, 3]) fed to {@code images}, run
     * {@link #CALL_BATCH} faces at a time.
     */
    static float[] inBatches(Session session, Operand<TFloat32> images, Operand<TFloat32> output, float[] x, int n,
                             int imageSize, int width) {
        int pixels = imageSize * imageSize * 3;
        if (x.length < (long) n * pixels) {
            throw new IllegalArgumentException("expected " + n + " faces of " + pixels + " values, found " + x.length + " values");
        }
        float[] out = new float[n * width];
        for (int start = 0; start < n; start += CALL_BATCH) {
            int m = Math.min(CALL_BATCH, n - start);
            float[] chunk = new float[m * pixels];
            System.arraycopy(x, start * pixels, chunk, 0, chunk.length);
            try (TFloat32 xt = Tensors.of(Shape.of(m, imageSize, imageSize, 3), chunk);
                 Result r = session.runner().feed(images, xt).fetch(output).run()) {
                System.arraycopy(Tensors.read((TFloat32) r.get(0)), 0, out, start * width, m * width);
            }
        }
        return out;
    }

    /** TensorFlow's messages go on with the whole op or graph; their first line says what went wrong. */
    static String firstLine(RuntimeException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
}
