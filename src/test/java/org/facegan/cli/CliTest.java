package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.facegan.data.DataSpec;
import org.facegan.model.ModelConfig;
import org.facegan.train.RunDirectory;
import org.facegan.train.TrainOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands end to end, and their answers to bad input: one line naming the problem, exit code 2. */
class CliTest {
    static final String TINY_MODEL =
            "{\"name\":\"tiny\",\"imageSize\":32,\"zDim\":16,\"ngf\":8,\"ndf\":8,\"nef\":8,\"kernel\":4,\"dHidden\":16}";

    public record Outcome(int code, String err) {}

    public static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Facegan.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, err.toString());
    }

    @Test
    void trainSampleAndExportARun(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("tiny.json");
        Files.writeString(model, TINY_MODEL);
        Path runDir = tmp.resolve("run"), exportDir = tmp.resolve("export");
        Outcome train = run("train", "--data", "synthetic:64", "--model", model.toString(), "--steps", "4",
                "--batch", "8", "--sample-every", "2", "--run", runDir.toString(), "--export", exportDir.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(runDir.resolve("samples/step-000002.png")).exists();
        assertThat(runDir.resolve("checkpoints/step-00000004/model.index")).exists();
        assertThat(Files.readAllLines(runDir.resolve("metrics.csv")).get(0)).startsWith("step,d_loss,g_loss,e_loss,d_real,d_fake");
        assertThat(exportDir.resolve("1/saved_model.pb")).exists();

        Path png = tmp.resolve("faces.png");
        Outcome sample = run("sample", "--run", runDir.toString(), "--count", "6", "--columns", "3",
                "--attr", "Smiling=1", "--attr", "Eyeglasses=1", "--out", png.toString());
        assertThat(sample.code()).as(sample.err()).isZero();
        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(3 * 64); // 32-px faces scaled to 64 px (--scale 0)
        assertThat(image.getHeight()).isGreaterThanOrEqualTo(2 * 64).isLessThan(3 * 64);

        Outcome export = run("export", "--run", runDir.toString(), "--out", exportDir.toString());
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(exportDir.resolve("2/saved_model.pb")).exists();
        Outcome again = run("export", "--run", runDir.toString(), "--out", exportDir.toString(), "--version", "1");
        assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.err()).contains("already exists");

        Path config = tmp.resolve("models.config");
        Outcome served = run("export", "--run", runDir.toString(), "--out", tmp.resolve("root/faces").toString(),
                "--serving-config", config.toString());
        assertThat(served.code()).as(served.err()).isZero();
        assertThat(tmp.resolve("root/faces/1/saved_model.pb")).exists();
        assertThat(Files.readString(config)).contains("name: \"faces\"")
                .contains("base_path: \"" + tmp.resolve("root/faces").toAbsolutePath() + "\"")
                .contains("model_platform: \"tensorflow\"");
        Outcome toDirectory = run("export", "--run", runDir.toString(), "--out", tmp.resolve("root/faces").toString(),
                "--serving-config", tmp.toString());
        assertThat(toDirectory.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(toDirectory.err()).contains("--serving-config");

        Outcome projector = run("projector", "--run", runDir.toString(), "--count", "8");
        assertThat(projector.code()).as(projector.err()).isZero();
        assertThat(Files.readAllLines(runDir.resolve("projector/metadata.tsv"))).hasSize(9);
        assertThat(runDir.resolve("projector/projector_config.pbtxt")).exists();
        Outcome tooMany = run("projector", "--run", runDir.toString(), "--count", "65");
        assertThat(tooMany.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooMany.err()).contains("--count 65").contains("64");
        assertThat(tooMany.err().lines()).hasSize(1);
    }

    @Test
    void trainsOnACelebaFolderWithChosenAttributes(@TempDir Path tmp) throws Exception {
        Path celeba = tmp.resolve("celeba");
        org.facegan.data.CelebaLayout.writeSynthetic(celeba, 24, 64, 1, n -> {});
        Path model = Files.writeString(tmp.resolve("tiny.json"), TINY_MODEL);
        Path runDir = tmp.resolve("run");
        Outcome o = run("train", "--data", "celeba:" + celeba, "--split", "all", "--crop", "60", "--attrs",
                "Smiling,Male", "--model", model.toString(), "--steps", "2", "--batch", "8", "--run", runDir.toString(),
                "--export", "none");
        assertThat(o.code()).as(o.err()).isZero();
        RunDirectory.RunRecord record = new RunDirectory(runDir).read();
        assertThat(record.attributes()).containsExactly("Smiling", "Male");
        assertThat(record.datasetSize()).isEqualTo(24);
        assertThat(record.options().data()).isEqualTo("celeba:" + celeba.toAbsolutePath()
                + ",split=all,crop=60,attrs=Smiling;Male");

        Outcome unknown = run("train", "--attrs", "Smiling,Freckles", "--run", tmp.resolve("r2").toString());
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("Freckles").contains("Eyeglasses");
        assertThat(tmp.resolve("r2")).doesNotExist();
    }

    @Test
    void dataInspectReportsBalanceAndEveryProblem(@TempDir Path tmp) throws Exception {
        Path celeba = tmp.resolve("celeba");
        org.facegan.data.CelebaLayout.writeSynthetic(celeba, 20, 32, 1, n -> {});
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            assertThat(run("data", "inspect", celeba.toString()).code()).isZero();
            Path images = celeba.resolve("img_align_celeba");
            Files.delete(images.resolve("000003.jpg"));
            Files.write(images.resolve("000004.jpg"), new byte[0]);
            Files.writeString(images.resolve("000005.jpg"), "not a jpeg");
            Files.copy(images.resolve("000001.jpg"), images.resolve("extra.jpg"));
            assertThat(run("data", "inspect", celeba.toString()).code()).isEqualTo(ExitCodes.FAILURE);
        } finally {
            System.setOut(saved);
        }
        String report = out.toString();
        assertThat(report).contains("format: celeba   images: 20   size: 32x32 .. 32x32 px")
                .contains("images: 17").contains("Eyeglasses").contains("problems (4):")
                .contains("000003.jpg: missing").contains("000004.jpg: empty file")
                .contains("000005.jpg: not a readable image").contains("extra.jpg: not listed");
    }

    @Test
    void unknownPresetIsRefusedBeforeAnyWork(@TempDir Path tmp) {
        Outcome o = run("train", "--model", "faces128", "--run", tmp.resolve("r").toString());
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err().lines()).hasSize(1);
        assertThat(o.err()).contains("faces128").contains("faces32");
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void zeroStepsIsRefused(@TempDir Path tmp) {
        Outcome o = run("train", "--steps", "0", "--run", tmp.resolve("r").toString());
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains("--steps").contains("found 0");
        assertThat(o.err().lines()).hasSize(1);
    }

    @Test
    void divergenceOptionsAreValidated(@TempDir Path tmp) {
        Outcome patience = run("train", "--collapse-patience", "-1", "--run", tmp.resolve("r").toString());
        assertThat(patience.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(patience.err()).contains("--collapse-patience").contains("found -1");
        assertThat(patience.err().lines()).hasSize(1);
        Outcome action = run("train", "--on-divergence", "sometimes", "--run", tmp.resolve("r").toString());
        assertThat(action.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(action.err()).contains("--on-divergence").contains("sometimes");
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void dsExtraInputsTakeOnOrOffAndNameTheRun(@TempDir Path tmp) {
        for (String option : new String[] {"--d-mbstd", "--d-thumbnail", "--g-skip"}) {
            Outcome o = run("train", option, "yes", "--run", tmp.resolve("r").toString());
            assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(o.err().strip()).endsWith(option + " must be on or off, found yes");
            assertThat(o.err().lines()).hasSize(1);
        }
        assertThat(tmp.resolve("r")).doesNotExist();
        ModelConfig both = TrainCommand.architecture(ModelConfig.load("faces64"), null, null, "on", "on", null, null);
        assertThat(both.dMinibatchStddev()).isTrue();
        assertThat(both.dThumbnail()).isTrue();
        assertThat(RunNames.of(TrainOptions.builder().model(both).build(), DataSpec.parse("synthetic")))
                .as("faces64 has the thumbnail on").isEqualTo("faces64-synthetic-mbstd");
        // faces32 has the thumbnail and the skip on: its name says when they are off
        ModelConfig plain = TrainCommand.architecture(ModelConfig.load("faces32"), null, null, null, "off", "off", null);
        assertThat(RunNames.of(TrainOptions.builder().model(plain).build(), DataSpec.parse("synthetic")))
                .isEqualTo("faces32-synthetic-nothumb-nogskip");
        assertThat(RunNames.of(TrainOptions.builder().build(), DataSpec.parse("synthetic"))).isEqualTo("faces32-synthetic");
        // --g-top: the name says the channels where they differ from the preset's (32 in faces32, 16 in faces64, 0 in dcgan64)
        ModelConfig noTop = TrainCommand.architecture(ModelConfig.load("faces32"), null, null, null, null, null, 0);
        assertThat(noTop.gTopChannels()).isZero();
        assertThat(RunNames.of(TrainOptions.builder().model(noTop).build(), DataSpec.parse("synthetic")))
                .isEqualTo("faces32-synthetic-top0");
        ModelConfig top64 = TrainCommand.architecture(ModelConfig.load("faces64"), null, null, null, null, null, 32);
        assertThat(RunNames.of(TrainOptions.builder().model(top64).build(), DataSpec.parse("synthetic")))
                .isEqualTo("faces64-synthetic-top32");
        assertThat(ModelConfig.load("faces64").gTopChannels()).as("faces64's own").isEqualTo(16);
        assertThat(ModelConfig.load("dcgan64").gTopChannels()).as("dcgan64: DCGAN's layout").isZero();
        Outcome badTop = run("train", "--g-top", "-1", "--run", tmp.resolve("r").toString());
        assertThat(badTop.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badTop.err().strip()).endsWith("--g-top must be in [0, 1024], found -1");
        assertThat(tmp.resolve("r")).doesNotExist();
        assertThat(RunNames.of(TrainOptions.builder().latentRecon(0.5f).build(), DataSpec.parse("synthetic")))
                .isEqualTo("faces32-synthetic-lat0.500000");
        assertThat(RunNames.of(TrainOptions.builder().modeSeeking(0).build(), DataSpec.parse("synthetic")))
                .isEqualTo("faces32-synthetic-ms0.00000");
        assertThat(RunNames.of(TrainOptions.builder().gMoments(10).build(), DataSpec.parse("synthetic")))
                .isEqualTo("faces32-synthetic-gm10.0000");
        assertThat(RunNames.of(TrainOptions.builder().gMoments(0).build(), DataSpec.parse("synthetic")))
                .as("off is the default").isEqualTo("faces32-synthetic");
        assertThat(RunNames.of(TrainOptions.builder().mode("vaegan").build(), DataSpec.parse("synthetic")))
                .as("vaegan's defaults: no latent or mode-seeking term").doesNotContain("-lat").doesNotContain("-ms");
    }

    /** Towers change where a run computes, not what: a run trained on two devices resumes on one. */
    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a starved cross-device op hangs instead of failing
    void aRunTrainedOnTwoDevicesResumesOnOne(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("tiny.json");
        Files.writeString(model, TINY_MODEL);
        Path runDir = tmp.resolve("run");
        Outcome two = run("train", "--data", "synthetic:64", "--model", model.toString(), "--steps", "4", "--batch", "8",
                "--devices", "cpu:0,cpu:1", "--run", runDir.toString(), "--export", "none");
        assertThat(two.code()).as(two.err()).isZero();
        assertThat(runDir.resolve("checkpoints/step-00000004/model.index")).exists();
        Outcome one = run("train", "--data", "synthetic:64", "--model", model.toString(), "--steps", "6", "--batch", "8",
                "--run", runDir.toString(), "--export", "none");
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(runDir.resolve("checkpoints/step-00000006/model.index")).exists();
    }

    @Test
    void aRunWithReusedFakesTrainsResumesAndRecordsTheChoice(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("tiny.json");
        Files.writeString(model, TINY_MODEL);
        Path runDir = tmp.resolve("run");
        String[] args = {"train", "--data", "synthetic:64", "--model", model.toString(), "--batch", "8", "--reuse-fakes",
                "--run", runDir.toString(), "--export", "none", "--steps"};
        Outcome first = run(concat(args, "4"));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(RunDirectory.JSON.readTree(runDir.resolve("config.json").toFile()).findValue("reuseFakes").asBoolean()).isTrue();
        Outcome resumed = run(concat(args, "6"));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        List<String> rows = Files.readAllLines(runDir.resolve("metrics.csv"));
        assertThat(rows.get(rows.size() - 1)).startsWith("6,");
        for (String row : rows.subList(1, rows.size())) {
            for (String loss : List.of(row.split(",")).subList(1, 4)) assertThat(Double.parseDouble(loss)).isFinite();
        }
        Outcome changed = run("train", "--data", "synthetic:64", "--model", model.toString(), "--batch", "8",
                "--run", runDir.toString(), "--export", "none", "--steps", "8");
        assertThat(changed.code()).as("the same run without --reuse-fakes").isEqualTo(ExitCodes.USAGE);
        assertThat(changed.err()).contains("reuseFakes");
    }

    private static String[] concat(String[] head, String last) {
        String[] all = java.util.Arrays.copyOf(head, head.length + 1);
        all[head.length] = last;
        return all;
    }

    @Test
    void aGpuThatIsNotThereIsRefusedBeforeTraining(@TempDir Path tmp) {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidia0")), "this machine has a GPU");
        Outcome o = run("train", "--device", "gpu:1", "--run", tmp.resolve("r").toString(), "--steps", "1");
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains("--device gpu:1").contains("mvn -Pgpu package");
        assertThat(o.err().lines()).hasSize(1);
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void unwritableRunDirectoryIsRefused(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Outcome o = run("train", "--run", file.resolve("run").toString(), "--steps", "1");
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains("run directory").contains("not writable");
        assertThat(o.err().lines()).hasSize(1);
    }

    @Test
    void unwritableExportDirectoryIsRefusedBeforeTraining(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Outcome o = run("train", "--run", tmp.resolve("run").toString(), "--steps", "1",
                "--export", file.resolve("models").toString());
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains("--export").contains("not writable");
        assertThat(tmp.resolve("run/checkpoints")).doesNotExist();
    }

    @Test
    void runMadeByAnotherModelIsRefusedNamingTheDifference(@TempDir Path tmp) throws Exception {
        Path runDir = tmp.resolve("run");
        Path model = tmp.resolve("tiny.json");
        Files.writeString(model, TINY_MODEL);
        assertThat(run("train", "--data", "synthetic:16", "--model", model.toString(), "--steps", "1", "--batch", "8",
                "--run", runDir.toString(), "--export", "none").code()).isZero();
        long before = Files.getLastModifiedTime(runDir.resolve("config.json")).toMillis();
        Outcome o = run("train", "--data", "synthetic:16", "--model", "faces32", "--steps", "2", "--batch", "8",
                "--run", runDir.toString(), "--export", "none");
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains("different options").contains("model.ngf").contains("model.name");
        assertThat(o.err().lines()).hasSize(1);
        assertThat(Files.getLastModifiedTime(runDir.resolve("config.json")).toMillis()).isEqualTo(before);
    }

    @Test
    void unknownAttributeIsRefusedListingTheKnownOnes(@TempDir Path tmp) throws Exception {
        Path runDir = tmp.resolve("run");
        Files.createDirectories(runDir);
        var options = org.facegan.testing.Fixtures.options("synthetic", org.facegan.testing.Fixtures.TINY, 1, 0);
        RunDirectory.JSON.writeValue(runDir.resolve("config.json").toFile(),
                new RunDirectory.RunRecord(options, java.util.List.of("Male", "Smiling"), 10));
        Outcome o = run("sample", "--run", runDir.toString(), "--attr", "Smilng=1", "--out", tmp.resolve("x.png").toString());
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains("Smilng").contains("Male, Smiling");
        assertThat(o.err().lines()).hasSize(1);
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args : new String[][] {{"--help"}, {"train", "--help"}, {"sample", "--help"},
                {"export", "--help"}, {"projector", "--help"}, {"bench", "--help"}, {"eval", "--help"}, {"plot", "--help"}, {"serve", "--help"}, {"data", "synth", "--help"},
                {"data", "inspect", "--help"}, {"bench", "train", "--help"}, {"bench", "input", "--help"},
                {"bench", "serve", "--help"}}) {
            StringWriter out = new StringWriter();
            CommandLine cli = Facegan.commandLine();
            cli.setOut(new PrintWriter(out, true));
            assertThat(cli.execute(args)).isZero();
            assertThat(out.toString()).contains("Usage: facegan");
        }
    }

    @Test
    void sharedOptionsKeepEachCommandsHelp() {
        String train = help("train", "--help"), benchTrain = help("bench", "train", "--help");
        for (String option : new String[] {"--threads", "--precision", "--devices"}) {
            assertThat(train).contains(option);
            assertThat(benchTrain).contains(option);
        }
        assertThat(train).contains("Replaces --device.").doesNotContain("Default: TensorFlow's placement");
        assertThat(benchTrain).contains("Default: TensorFlow's placement").doesNotContain("Replaces --device");
        assertThat(help("bench", "--help")).contains("train").contains("input").contains("serve")
                .contains("bench --net small runs bench train --net small");
        assertThat(help("bench", "serve", "--help")).contains("URL");
        assertThat(help("bench", "input", "--help")).contains("--data=SPEC").contains("--size");
    }

    @Test
    void threadsIsCheckedOnceForTrainAndBenchTrain(@TempDir Path tmp) {
        for (String[] args : new String[][] {{"train", "--threads", "-1", "--run", tmp.resolve("r").toString()},
                {"bench", "train", "--threads", "-1"}, {"bench", "--threads", "-1"}}) {
            Outcome o = run(args);
            assertThat(o.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(o.err().lines()).as(o.err()).hasSize(1);
            // the same check, so the same words after the command's name
            assertThat(o.err()).contains(": error: --threads must be 0 (default) or more, found -1");
        }
        assertThat(tmp.resolve("r")).doesNotExist();
        assertThat(run("bench", "train", "--threads", "-1").err()).startsWith("facegan bench train: error:");
    }

    /** The usage help, its lines joined with single spaces (picocli wraps at Facegan.USAGE_WIDTH columns). */
    private static String help(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Facegan.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute(args)).isZero();
        return out.toString().replaceAll("\\s+", " ");
    }
}
