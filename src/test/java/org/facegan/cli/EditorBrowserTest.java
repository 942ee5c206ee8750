package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.facegan.serve.RestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web editor in a real headless Chromium (Debian's, driven by playwright-core; both installed by
 * scripts/install-browser.sh, which CI runs): the page loads, a slider moves, the face changes. The screenshot is
 * kept as target/editor-screenshot.png.
 */
class EditorBrowserTest {
    @Test
    void movingASliderChangesTheFace(@TempDir Path tmp) throws Exception {
        boolean ready = Files.isExecutable(Path.of("/usr/bin/chromium"))
                && Files.isDirectory(Path.of("web-tests/node_modules/playwright-core"));
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(ready, "run scripts/install-browser.sh first (Chromium and playwright-core)");
        }
        assertThat(ready).as("scripts/install-browser.sh installed Chromium and playwright-core").isTrue();

        Path model = Files.writeString(tmp.resolve("tiny.json"), CliTest.TINY_MODEL);
        Path base = tmp.resolve("export/tiny");
        assertThat(CliTest.run("train", "--data", "synthetic:64", "--model", model.toString(), "--steps", "6",
                "--batch", "8", "--run", tmp.resolve("run").toString(), "--export", base.toString()).code()).isZero();
        Path screenshot = Path.of("target/editor-screenshot.png").toAbsolutePath();
        try (RestServer server = new RestServer(Map.of("tiny", base), "127.0.0.1", 0, 64, 1 << 20, 3600, line -> {})) {
            Process node = new ProcessBuilder("node", "web-tests/editor.mjs",
                    "http://127.0.0.1:" + server.port() + "/", screenshot.toString()).redirectErrorStream(true).start();
            String output = new String(node.getInputStream().readAllBytes());
            assertThat(node.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(node.exitValue()).as(output).isZero();
            assertThat(output).contains("\"changed\":true");
            System.out.println("editor: " + output.strip());
        }
        assertThat(javax.imageio.ImageIO.read(screenshot.toFile()).getWidth()).isEqualTo(1100);
    }
}
