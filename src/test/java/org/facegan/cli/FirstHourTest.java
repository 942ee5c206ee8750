package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.facegan.data.CelebaLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import picocli.CommandLine;

/**
 * Issue 20's first hour, tried as a new user would: each case failed before its fix (help cut mid-sentence, usage
 * dumped after an error, directories left by refused input, serve loading models before finding its port taken, 1:1
 * sample faces, reconstruct refusing without images, bench input without --crop, a finished run re-exported,
 * tensorboard.sh naming the run ".", export/README.md missing a signature).
 */
class FirstHourTest {
    @TempDir static Path shared;
    static Path runDir, exportDir;

    /** One tiny run (4 steps) for the commands that read a run. */
    @BeforeAll
    static void trainTinyRun() throws Exception {
        Path model = Files.writeString(shared.resolve("tiny.json"), CliTest.TINY_MODEL);
        runDir = shared.resolve("runs/tiny");
        exportDir = shared.resolve("export/tiny");
        CliTest.Outcome train = CliTest.run(trainArgs(model));
        assertThat(train.code()).as(train.err()).isZero();
    }

    static String[] trainArgs(Path model) {
        return new String[] {"train", "--data", "synthetic:64", "--model", model.toString(), "--steps", "4", "--batch",
                "8", "--sample-every", "4", "--run", runDir.toString(), "--export", exportDir.toString()};
    }

    record Printed(int code, String out, String err) {}

    /** Runs the CLI with System.out captured too (commands print their results there). */
    static Printed printed(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CliTest.Outcome o = CliTest.run(args);
            return new Printed(o.code(), out.toString(StandardCharsets.UTF_8), o.err());
        } finally {
            System.setOut(saved);
        }
    }

    static List<CommandLine> everyCommand() {
        List<CommandLine> all = new ArrayList<>();
        Facegan.everyCommand(Facegan.commandLine(), all::add);
        all.removeIf(c -> c.getCommandName().equals("help")); // picocli's own
        return all;
    }

    /** The usage message, failing on any warning picocli prints while formatting it (a stray '%' in a description). */
    static String usageWithoutWarnings(CommandLine c) {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String usage = c.getUsageMessage();
            assertThat(err.toString(StandardCharsets.UTF_8)).as(c.getCommandSpec().qualifiedName() + ": picocli's warnings").isEmpty();
            return usage;
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void everyHelpHasAWholeSummaryAndAnExampleThatParses() {
        for (CommandLine c : everyCommand()) {
            String name = c.getCommandSpec().qualifiedName();
            String[] description = c.getCommandSpec().usageMessage().description();
            assertThat(description).as(name).isNotEmpty();
            // the first line is what `facegan --help` lists: one whole sentence
            assertThat(description[0]).as(name).endsWith(".").doesNotContain("\n");
            String usage = usageWithoutWarnings(c);
            for (String line : usage.lines().toList()) {
                assertThat(line.length()).as(name + ": " + line).isLessThanOrEqualTo(Facegan.USAGE_WIDTH);
            }
            assertThat(usage).as(name).contains("Example:").doesNotContain("this project").doesNotContain("seed 003");
            String example = usage.substring(usage.indexOf("Example:") + "Example:".length()).trim();
            assertThat(example).as(name + ": one unwrapped line").doesNotContain("\n");
            for (String command : example.split(" && ")) {
                String[] words = command.trim().split("\\s+");
                assertThat(words[0]).isEqualTo("facegan");
                // the example is true: picocli accepts it as written
                Facegan.commandLine().parseArgs(Arrays.copyOfRange(words, 1, words.length));
            }
        }
        String top = Facegan.commandLine().getUsageMessage().replaceAll("\\s+", " ");
        for (CommandLine c : Facegan.commandLine().getSubcommands().values()) {
            if (c.getCommandName().equals("help")) continue;
            assertThat(top).contains(c.getCommandSpec().usageMessage().description()[0]);
        }
        String train = Facegan.commandLine().getSubcommands().get("train").getUsageMessage();
        assertThat(train).contains("--attrs=NAME[,NAME...]").doesNotContain("NAME,NAME...[");
        assertThat(Facegan.commandLine().getSubcommands().get("serve").getUsageMessage()).contains("web editor at /");
    }

    @Test
    void usageErrorsAreOneLineWithTheCommandAndAHint() {
        Printed typo = printed("train", "--stepz", "5");
        assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err().lines()).as(typo.err()).containsExactly(
                "facegan train: error: unknown option '--stepz' (did you mean --steps or --step-deadline?)");
        Printed value = printed("sample", "--attr", "Smiling=yes");
        assertThat(value.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(value.err().lines()).as(value.err()).hasSize(1);
        assertThat(value.err()).startsWith("facegan sample: error: ").contains("'yes' is not a float")
                .contains("facegan sample --help").doesNotContain("Usage:");
        Printed command = printed("tarin");
        assertThat(command.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(command.err().lines()).hasSize(1);
        assertThat(command.err()).startsWith("facegan: error: unexpected argument 'tarin'").contains("train");
        assertThat(value.out() + typo.out() + command.out()).isEmpty();
    }

    @Test
    void refusedTrainingInputWritesNothing(@TempDir Path tmp) {
        Printed o = printed("train", "--data", "celeba:" + tmp.resolve("nonexistent"), "--run",
                tmp.resolve("runs/faces32-celeba").toString(), "--export", tmp.resolve("export/faces32-celeba").toString());
        assertThat(o.code()).as(o.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(tmp.resolve("runs")).doesNotExist();
        assertThat(tmp.resolve("export")).doesNotExist();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void serveRefusesATakenPortBeforeLoadingAnything() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            long t0 = System.nanoTime();
            Printed o = printed("serve", "--model-base", exportDir.toString(), "--port", "" + taken.getLocalPort());
            assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(o.err().lines()).as(o.err()).hasSize(1);
            assertThat(o.err()).startsWith("facegan serve: error: --port " + taken.getLocalPort()).doesNotContain("ERROR");
            assertThat((System.nanoTime() - t0) / 1e9).as("seconds: no model is loaded first").isLessThan(3);
        }
    }

    @Test
    void sampleScalesSmallFacesUp() throws Exception {
        Path auto = shared.resolve("auto.png"), one = shared.resolve("one.png");
        assertThat(printed("sample", "--run", runDir.toString(), "--count", "4", "--columns", "2", "--out",
                auto.toString()).code()).isZero();
        var image = ImageIO.read(auto.toFile());
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(2 * 64).isLessThan(3 * 64); // 32-px faces shown at 64 px
        assertThat(image.getHeight()).isGreaterThanOrEqualTo(2 * 64).isLessThan(3 * 64);
        assertThat(printed("sample", "--run", runDir.toString(), "--count", "4", "--columns", "2", "--scale", "1",
                "--out", one.toString()).code()).isZero();
        assertThat(ImageIO.read(one.toFile()).getWidth()).isLessThan(3 * 32);
        assertThat(printed("sample", "--run", runDir.toString(), "--scale", "-1").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void reconstructWithoutImagesUsesTheRunsDataset() throws Exception {
        Path out = shared.resolve("recon.png");
        Printed o = printed("reconstruct", "--run", runDir.toString(), "--count", "4", "--columns", "4", "--out",
                out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        var image = ImageIO.read(out.toFile());
        assertThat(image.getHeight()).isGreaterThanOrEqualTo(2 * 32).isLessThan(3 * 32); // originals, reconstructions
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(4 * 32).isLessThan(5 * 32);
    }

    @Test
    void benchInputTakesACropForSmallPhotos(@TempDir Path tmp) throws Exception {
        Path celeba = tmp.resolve("celeba");
        CelebaLayout.writeSynthetic(celeba, 16, 64, 1, n -> {}); // 64-px photos: the default 108-px crop cannot fit
        Printed cropped = printed("bench", "input", "--data", "celeba:" + celeba, "--crop", "60", "--size", "32",
                "--batch", "4");
        assertThat(cropped.code()).as(cropped.err()).isZero();
        assertThat(cropped.out()).contains("{");
    }

    @Test
    void aFinishedRunRunAgainNeitherTrainsNorExportsAgain() throws Exception {
        Path model = shared.resolve("tiny.json");
        List<String> metrics = Files.readAllLines(runDir.resolve("metrics.csv"));
        Printed again = printed(trainArgs(model));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("finished before").contains("exported: " + exportDir.resolve("1") + " (before)");
        assertThat(exportDir.resolve("2")).doesNotExist();
        assertThat(Files.readAllLines(runDir.resolve("metrics.csv"))).isEqualTo(metrics);
        // an export elsewhere is made from the checkpoint, still without training
        Path elsewhere = shared.resolve("export/elsewhere");
        String[] args = trainArgs(model);
        args[args.length - 1] = elsewhere.toString();
        Printed exported = printed(args);
        assertThat(exported.code()).as(exported.err()).isZero();
        assertThat(elsewhere.resolve("1/saved_model.pb")).exists();
        assertThat(Files.readAllLines(runDir.resolve("metrics.csv"))).isEqualTo(metrics);
    }

    @Test
    void exportReadmeNamesEverySignature() throws Exception {
        String readme = Files.readString(Path.of("export/README.md"));
        try (SavedModelBundle bundle = SavedModelBundle.load(exportDir.resolve("1").toString(), "serve")) {
            var signatures = bundle.metaGraphDef().getSignatureDefMap().keySet();
            assertThat(signatures).hasSizeGreaterThanOrEqualTo(4);
            for (String signature : signatures) {
                if (signature.startsWith("__")) continue; // TF's own (__saved_model_init_op)
                assertThat(readme).as(signature).contains("`" + signature + "`");
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tensorboardShowsASingleRunUnderItsName(@TempDir Path tmp) throws Exception {
        // a stand-in for scripts/tf-python's environment: "imports" tensorflow, and as TensorBoard lists its logdir
        Path python = Files.createDirectories(tmp.resolve("venv/bin")).resolve("python");
        Files.writeString(python, """
                #!/bin/sh
                [ "$1" = "-c" ] && exit 0
                while [ $# -gt 0 ]; do [ "$1" = "--logdir" ] && ls "$2" && ls "$2/$(ls "$2")/"; shift; done
                """);
        assertThat(python.toFile().setExecutable(true)).isTrue();
        Path run = Files.createDirectories(tmp.resolve("runs/try"));
        Files.writeString(run.resolve("events.out.tfevents.1"), "");
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("scripts/tensorboard.sh").toAbsolutePath().toString(), "runs/try")
                .directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("TFPY_DIR", tmp.resolve("venv").toString());
        pb.environment().put("TMPDIR", tmp.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines()).as(out).containsExactly("try", "events.out.tfevents.1");
    }

    @Test
    void helpAndErrorsGoWhereTheyBelong() {
        StringWriter out = new StringWriter();
        CommandLine cli = Facegan.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("serve", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: facegan serve").contains("Example:");
    }
}
