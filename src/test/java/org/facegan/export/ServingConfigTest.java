package org.facegan.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.TextFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.facegan.proto.serving.ModelServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** models.config names exactly the directories that hold a SavedModel version, in TF Serving's text format. */
class ServingConfigTest {
    @Test
    void namesEveryModelWithAVersionAndNothingElse(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("export");
        version(root.resolve("faces-b"), 1);
        version(root.resolve("faces-a"), 3);
        Files.createDirectories(root.resolve("empty"));
        Files.createDirectories(root.resolve("half/.2.tmp-1")); // an unfinished export is no version
        Files.writeString(Files.createDirectories(root.resolve("notes")).resolve("1"), "a file, not a version");

        Path file = tmp.resolve("conf/models.config");
        ServingConfig.write(root, file);
        String text = Files.readString(file);
        String a = root.resolve("faces-a").toAbsolutePath().toString(), b = root.resolve("faces-b").toAbsolutePath().toString();
        assertThat(text).isEqualTo("model_config_list {\n"
                + "  config {\n    name: \"faces-a\"\n    base_path: \"" + a + "\"\n    model_platform: \"tensorflow\"\n  }\n"
                + "  config {\n    name: \"faces-b\"\n    base_path: \"" + b + "\"\n    model_platform: \"tensorflow\"\n  }\n"
                + "}\n");
        ModelServerConfig parsed = TextFormat.parse(text, ModelServerConfig.class);
        assertThat(parsed.getModelConfigList().getConfigList()).extracting(c -> c.getName()).containsExactly("faces-a", "faces-b");
        // TF Serving's field numbers: ModelServerConfig.model_config_list = 1, ModelConfig name 1, base_path 2, model_platform 4
        assertThat(ModelServerConfig.MODEL_CONFIG_LIST_FIELD_NUMBER).isEqualTo(1);
        assertThat(org.facegan.proto.serving.ModelConfig.MODEL_PLATFORM_FIELD_NUMBER).isEqualTo(4);
    }

    @Test
    void missingRootIsNamed(@TempDir Path tmp) {
        assertThatThrownBy(() -> ServingConfig.of(tmp.resolve("nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
    }

    @Test
    void tfservingScriptPrintsTheDockerCommandForAModel(@TempDir Path tmp) throws Exception {
        version(tmp.resolve("faces"), 1);
        ProcessBuilder pb = new ProcessBuilder("scripts/tfserving.sh", "faces", tmp.toString());
        pb.environment().put("FACEGAN_PRINT_ONLY", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()), err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(out).startsWith("docker run --rm -p 8501:8501 -p 8500:8500")
                .contains("source=" + tmp.resolve("faces").toRealPath() + ",target=/models/faces")
                .contains("-e MODEL_NAME=faces tensorflow/serving");

        Process missing = new ProcessBuilder("scripts/tfserving.sh", "nope", tmp.toString()).start();
        String missingErr = new String(missing.getErrorStream().readAllBytes());
        assertThat(missing.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(missing.exitValue()).isEqualTo(2);
        assertThat(missingErr).contains("nope");
    }

    private static void version(Path model, int v) throws Exception {
        Files.write(Files.createDirectories(model.resolve(Integer.toString(v))).resolve("saved_model.pb"), new byte[0]);
    }
}
