package org.facegan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
    @Test
    void presetsLoadWithTheirDocumentedSizes() {
        assertThat(ModelConfig.load("faces32").imageSize()).isEqualTo(32);
        ModelConfig dcgan = ModelConfig.load("dcgan64");
        assertThat(dcgan.ngf()).isEqualTo(64);
        assertThat(dcgan.ndf()).isEqualTo(64);
        assertThat(dcgan.kernel()).isEqualTo(5);
        assertThat(dcgan.stages()).isEqualTo(4);
    }

    @Test
    void unknownPresetNamesTheValidOnes() {
        assertThatThrownBy(() -> ModelConfig.load("faces128"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("faces128").hasMessageContaining("faces32, faces64, dcgan64");
    }

    @Test
    void fileWithUnknownKeyOrBadValueIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path extra = dir.resolve("extra.json");
        Files.writeString(extra, "{\"name\":\"x\",\"imageSize\":32,\"zDim\":100,\"ngf\":8,\"ndf\":8,\"nef\":8,\"kernel\":4,\"depth\":3}");
        assertThatThrownBy(() -> ModelConfig.load(extra.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\":\"x\",\"imageSize\":48,\"zDim\":100,\"ngf\":8,\"ndf\":8,\"nef\":8,\"kernel\":4}");
        assertThatThrownBy(() -> ModelConfig.load(bad.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("imageSize").hasMessageContaining("48");
    }
}
