package org.facegan.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.facegan.io.AtomicFiles;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;

/**
 * Writes an {@link InferenceGraph} as a SavedModel in TF Serving's layout, {@code BASE/<version>/}: tag
 * {@code serve}, method {@code tensorflow/serving/predict}, and four signatures:
 * <ul>
 *   <li>{@code serving_default}: z [-1, Z], y [-1, A] -> images [-1, S, S, 3] in [-1, 1]</li>
 *   <li>{@code encode}: images [-1, S, S, 3] -> z [-1, Z]</li>
 *   <li>{@code discriminate}: images, y -> logits [-1, 1], attribute_logits [-1, A] (D's attribute head)</li>
 *   <li>{@code generate_png}: z, y -> image_bytes [-1] strings, one PNG per row (TF Serving's REST API answers
 *       them as {@code {"b64": ...}})</li>
 * </ul>
 * The attribute names, in y's order, go to {@code assets/attributes.txt}, and one warm-up request per signature to
 * {@code assets.extra/tf_serving_warmup_requests} ({@link WarmupRequests}). The bundle is written under a temporary
 * name and renamed, so a version directory is always complete, and an existing version is never overwritten.
 */
public final class SavedModelExport {
    public static final String GENERATE_PNG = "generate_png";
    public static final String METHOD = "tensorflow/serving/predict";
    public static final String ATTRIBUTES_ASSET = "assets/attributes.txt";
    private static final Pattern VERSION = Pattern.compile("\\d+");

    private SavedModelExport() {}

    /** The next free integer version under {@code base} (1 when there is none). */
    public static long nextVersion(Path base) {
        if (!Files.isDirectory(base)) return 1;
        try (Stream<Path> entries = Files.list(base)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> VERSION.matcher(n).matches())
                    .mapToLong(Long::parseLong).max().orElse(0) + 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
    }

    /**
     * Exports to {@code base/version}.
     *
     * @param extraFiles relative path -> contents, written into the bundle (e.g. assets.extra/provenance.json)
     * @return the version directory
     */
    public static Path export(InferenceGraph inference, List<String> attributes, Path base, long version,
                              java.util.Map<String, String> extraFiles) {
        if (version < 1) throw new IllegalArgumentException("--version must be at least 1, found " + version);
        Path target = base.resolve(Long.toString(version));
        if (Files.exists(target)) {
            throw new IllegalArgumentException("export " + target + " already exists: versions are never overwritten");
        }
        Path temp = AtomicFiles.temporarySibling(target);
        try {
            Files.createDirectories(base);
            AtomicFiles.removeOrphans(base); // what exports killed mid-write left behind
            AtomicFiles.deleteTree(temp);
            var s = inference.session;
            Signature generate = Signature.builder(Signature.DEFAULT_KEY).methodName(METHOD)
                    .input("z", inference.z).input("y", inference.y).output("images", inference.images).build();
            Signature encode = Signature.builder("encode").methodName(METHOD)
                    .input("images", inference.inputImages).output("z", inference.encoded).build();
            Signature discriminate = Signature.builder("discriminate").methodName(METHOD)
                    .input("images", inference.inputImages).input("y", inference.judgedY)
                    .output("logits", inference.logits).output("attribute_logits", inference.attributeLogits).build();
            Signature generatePng = Signature.builder(GENERATE_PNG).methodName(METHOD)
                    .input("z", inference.z).input("y", inference.y).output("image_bytes", inference.imagePngs).build();
            SavedModelBundle.exporter(temp.toString()).withSession(s).withFunctions(
                    SessionFunction.create(generate, s), SessionFunction.create(encode, s),
                    SessionFunction.create(discriminate, s), SessionFunction.create(generatePng, s)).export();
            write(temp.resolve(ATTRIBUTES_ASSET), String.join("\n", attributes) + "\n");
            WarmupRequests.write(temp.resolve(WarmupRequests.FILE), WarmupRequests.forSignatures(
                    List.of(generate, encode, discriminate, generatePng), WarmupRequests.EXPORT_BATCH,
                    base.toAbsolutePath().normalize().getFileName().toString()));
            for (var e : extraFiles.entrySet()) write(temp.resolve(e.getKey()), e.getValue());
            AtomicFiles.moveIntoPlace(temp, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export to " + target + ": " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteQuietly(temp); // gone after a successful move; a leftover is never taken for a version
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
