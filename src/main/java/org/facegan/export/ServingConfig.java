package org.facegan.export;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.facegan.io.AtomicFiles;
import org.facegan.proto.serving.ModelConfig;
import org.facegan.proto.serving.ModelConfigList;
import org.facegan.proto.serving.ModelServerConfig;

/**
 * TF Serving's {@code models.config} (the file of {@code --model_config_file}): a {@code model_config_list} naming
 * every model under an export root. A model is a directory holding at least one integer version directory with a
 * {@code saved_model.pb}; its name is the directory's name and its base path is absolute.
 */
public final class ServingConfig {
    public static final String PLATFORM = "tensorflow";
    private static final Pattern VERSION = Pattern.compile("\\d+");

    private ServingConfig() {}

    /** The config for every model under {@code exportRoot}, sorted by name. */
    public static ModelServerConfig of(Path exportRoot) {
        ModelConfigList.Builder list = ModelConfigList.newBuilder();
        for (Path model : models(exportRoot)) {
            list.addConfig(ModelConfig.newBuilder().setName(model.getFileName().toString())
                    .setBasePath(model.toAbsolutePath().normalize().toString()).setModelPlatform(PLATFORM));
        }
        return ModelServerConfig.newBuilder().setModelConfigList(list).build();
    }

    /** Writes {@link #of} to {@code file} in protobuf text format (atomically); returns the config. */
    public static ModelServerConfig write(Path exportRoot, Path file) {
        ModelServerConfig config = of(exportRoot);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            AtomicFiles.write(file, TextFormat.printer().printToString(config).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return config;
    }

    /** Directories directly under {@code root} that hold a SavedModel version. */
    static List<Path> models(Path root) {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("export root " + root + " is not a directory");
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).filter(ServingConfig::hasVersion).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static boolean hasVersion(Path model) {
        try (Stream<Path> entries = Files.list(model)) {
            return entries.anyMatch(v -> VERSION.matcher(v.getFileName().toString()).matches()
                    && Files.isRegularFile(v.resolve("saved_model.pb")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + model, e);
        }
    }
}
