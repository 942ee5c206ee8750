package org.facegan.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.facegan.io.AtomicFiles;
import org.tensorflow.Session;

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

    /** TensorFlow's messages go on with the whole op or graph; their first line says what went wrong. */
    static String firstLine(RuntimeException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
}
