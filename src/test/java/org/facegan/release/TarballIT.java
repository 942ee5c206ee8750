package org.facegan.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball as a user meets it (mvn verify, after package): unpacked into an empty directory and run with
 * nothing but a Java runtime and a few POSIX tools on PATH (no Maven, no source tree), from a working directory of its
 * own. Every process started here is ended by its PID; the server listens on 127.0.0.1 only.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TarballIT {
    static final String TINY_MODEL =
            "{\"name\":\"tiny\",\"imageSize\":32,\"zDim\":16,\"ngf\":8,\"ndf\":8,\"nef\":8,\"kernel\":4,\"dHidden\":16}";
    /** What the launcher and the completion script call, linked into the only PATH directory the tests give. */
    static final List<String> TOOLS = List.of("ls", "sed", "dirname", "rm", "mkfifo", "perl", "cat", "bash", "sh");
    /** TensorFlow's start-up lines the launcher hides. */
    static final List<String> CHATTER = List.of("absl::InitializeLog", "MLIR V1 optimization pass");

    @TempDir static Path tmp;
    static Path home, work;
    static final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("facegan.tarball", "target/none.tar.gz"));
        assertThat(tarball).as("mvn package writes the tarball before the integration tests").exists();
        Path unpacked = Files.createDirectories(tmp.resolve("install"));
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", unpacked.toString())
                .inheritIO().start();
        assertThat(tar.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(tar.exitValue()).isZero();
        try (var dirs = Files.list(unpacked)) {
            home = dirs.findFirst().orElseThrow();
        }
        assertThat(home.getFileName().toString()).startsWith("facegan-");
        for (String entry : new String[] {"bin/facegan", "lib", "models/faces32.json", "completion/facegan.bash", "LICENSE",
                "README.md"}) {
            assertThat(home.resolve(entry)).as(entry).exists();
        }
        Path tools = Files.createDirectories(tmp.resolve("tools"));
        for (String tool : TOOLS) {
            for (String dir : new String[] {"/usr/bin", "/bin", "/usr/local/bin"}) {
                Path found = Path.of(dir, tool);
                if (Files.isExecutable(found)) {
                    Files.createSymbolicLink(tools.resolve(tool), found);
                    break;
                }
            }
        }
        work = Files.createDirectories(tmp.resolve("work"));
        Files.writeString(work.resolve("tiny.json"), TINY_MODEL);
    }

    @AfterAll
    static void endEverything() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** bin/facegan ARGS in the work directory, with PATH holding only {@link #TOOLS} and JAVA_HOME this JVM's. */
    static ProcessBuilder facegan(String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/facegan").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", tmp.resolve("tools").toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOME", work.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("FACEGAN_CACHE", tmp.resolve("cache").toString());
        env.put("FACEGAN_NO_PROGRESS", "1");
        return pb;
    }

    record Result(int code, String out, String err) {}

    static Result run(String... args) throws Exception {
        ProcessBuilder pb = facegan(args);
        Path out = tmp.resolve("out.txt"), err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        started.add(p);
        assertThat(p.waitFor(4, TimeUnit.MINUTES)).as(String.join(" ", args)).isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static boolean filtered() {
        return Files.exists(tmp.resolve("tools/perl")); // the launcher filters where perl is there
    }

    @Test
    void versionTrainAndServeFromTheTarball() throws Exception {
        Result version = run("--version");
        assertThat(version.code()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("facegan ").contains("Java ").contains("TensorFlow 2.")
                .containsPattern("oneDNN \\d+\\.\\d+\\.\\d+, ISA: ").contains("CPU: ").contains("GPUs: ");
        if (filtered()) assertThat(version.err()).isEmpty();

        Result train = run("train", "--data", "synthetic:64", "--model", "tiny.json", "--steps", "5", "--batch", "8",
                "--run", "runs/tiny", "--export", "export/tiny");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(work.resolve("export/tiny/1/saved_model.pb")).exists();
        if (filtered()) {
            for (String line : CHATTER) assertThat(train.err()).as(train.err()).doesNotContain(line);
        }

        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        Path serveErr = tmp.resolve("serve-err.txt");
        Process serve = facegan("serve", "--model-base", "export/tiny", "--host", "127.0.0.1", "--port", "" + port)
                .redirectOutput(tmp.resolve("serve-out.txt").toFile()).redirectError(serveErr.toFile()).start();
        started.add(serve);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(serveErr).contains("web editor at") && serve.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(Files.readString(serveErr)).as("serve's stderr").contains("serve: web editor at http://127.0.0.1:" + port + "/");

        // the launcher exec'd java: its PID is facegan's
        assertThat(serve.info().command().orElse("")).endsWith("java");
        int attributes = Files.readAllLines(work.resolve("export/tiny/1/assets/attributes.txt")).size();
        String body = "{\"instances\": [{\"z\": " + zeros(16) + ", \"y\": " + zeros(attributes) + "}]}";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> predicted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/models/tiny:predict")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        assertThat(predicted.body()).contains("\"predictions\"");
        HttpResponse<String> editor = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(editor.statusCode()).isEqualTo(200);

        // SIGTERM to the launcher's PID stops facegan, and the port is free within seconds
        List<ProcessHandle> children = serve.descendants().toList();
        serve.destroy();
        assertThat(serve.waitFor(20, TimeUnit.SECONDS)).as("facegan serve ends on SIGTERM").isTrue();
        for (ProcessHandle child : children) {
            assertThat(child.onExit().completeOnTimeout(child, 10, TimeUnit.SECONDS).get().isAlive())
                    .as("the launcher's stderr filter ends with java").isFalse();
        }
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        }
    }

    @Test
    void theCompletionScriptParsesAndCompletesCommands() throws Exception {
        Path script = home.resolve("completion/facegan.bash");
        Process check = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        started.add(check);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(complete(script, "facegan tr")).isEqualTo("train");
        assertThat(complete(script, "facegan train --see")).isEqualTo("--seed");
        assertThat(complete(script, "facegan bench ")).contains("train").contains("input").contains("serve");
    }

    /** What bash offers for {@code line} (the cursor at its end), as the completion function leaves it. */
    static String complete(Path script, String line) throws Exception {
        String program = "source '" + script + "'\n"
                + "line='" + line + "'\n"
                + "read -ra COMP_WORDS <<< \"$line\"\n"
                + "[[ $line == *' ' ]] && COMP_WORDS+=('')\n"
                + "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=$line; COMP_POINT=${#line}\n"
                + "_complete_facegan facegan \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null\n"
                + "echo \"${COMPREPLY[*]}\"\n";
        Process bash = new ProcessBuilder("bash", "-c", program).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        started.add(bash);
        String out;
        try (InputStream in = bash.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    static String zeros(int n) {
        return "[" + String.join(", ", java.util.Collections.nCopies(n, "0.0")) + "]";
    }
}
