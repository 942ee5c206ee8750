package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.facegan.train.RunDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code facegan eval} on a short run and on its exported bundle. */
class EvalCommandTest {
    @TempDir
    static Path tmp;
    static Path runDir, bundleDir;

    @BeforeAll
    static void train() throws Exception {
        Path model = Files.writeString(tmp.resolve("tiny.json"), CliTest.TINY_MODEL);
        runDir = tmp.resolve("run");
        assertThat(CliTest.run("train", "--data", "synthetic:300", "--model", model.toString(), "--steps", "40",
                "--batch", "16", "--run", runDir.toString(), "--export", tmp.resolve("export").toString()).code()).isZero();
        bundleDir = tmp.resolve("export/1");
    }

    @Test
    void writesEvalJsonWithTheModelAndBothBaselinesAndKeepsTheClassifier() throws Exception {
        CliTest.Outcome o = CliTest.run("eval", "--run", runDir.toString(), "--count", "25", "--classifier-steps", "40");
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode report = RunDirectory.JSON.readTree(runDir.resolve("eval.json").toFile());
        assertThat(report.get("count").asInt()).isEqualTo(25);
        assertThat(report.get("step").asLong()).isEqualTo(40);
        int attributes = report.get("attributes").size();
        assertThat(attributes).isEqualTo(10);
        for (String row : new String[] {"model", "noise", "copy"}) {
            JsonNode r = report.get(row);
            assertThat(r.get("conditionalAccuracy").size()).isEqualTo(attributes);
            assertThat(r.get("conditionalAccuracyAll").asDouble()).isBetween(0.0, 1.0);
            assertThat(r.get("frechet").asDouble()).isGreaterThanOrEqualTo(0);
        }
        // noise is far from real faces, copies of real faces are not
        assertThat(report.at("/noise/parzenLogLikelihood").asDouble()).isLessThan(report.at("/copy/parzenLogLikelihood").asDouble());
        assertThat(report.get("discriminatorAccuracy").asDouble()).isBetween(0.0, 1.0);

        Path classifier = runDir.resolve("eval/classifier/classifier.json");
        long trainedAt = Files.getLastModifiedTime(classifier).toMillis();
        assertThat(CliTest.run("eval", "--run", runDir.toString(), "--count", "25").code()).isZero();
        assertThat(Files.getLastModifiedTime(classifier).toMillis()).as("the classifier is reused").isEqualTo(trainedAt);
    }

    @Test
    void evalEveryLogsScoresAndKeepsTheBestCheckpoint() throws Exception {
        Path model = Files.writeString(tmp.resolve("tiny-every.json"), CliTest.TINY_MODEL);
        Path run = tmp.resolve("every");
        String[] train = {"train", "--data", "synthetic:300", "--model", model.toString(), "--batch", "16",
                "--run", run.toString(), "--export", "none"};
        assertThat(CliTest.run(concat(train, "--steps", "10")).code()).isZero();
        // a quickly trained classifier, which --eval-every then reuses
        assertThat(CliTest.run("eval", "--run", run.toString(), "--count", "20", "--classifier-steps", "30").code()).isZero();
        CliTest.Outcome o = CliTest.run(concat(train, "--steps", "60", "--eval-every", "20"));
        assertThat(o.code()).as(o.err()).isZero();

        var rows = Files.readAllLines(run.resolve("metrics.csv"));
        var header = java.util.List.of(rows.get(0).split(","));
        int accuracy = header.indexOf("eval_cond_acc"), frechet = header.indexOf("eval_frechet");
        java.util.Map<String, String[]> byStep = new java.util.TreeMap<>();
        for (String row : rows.subList(1, rows.size())) byStep.put(row.split(",", -1)[0], row.split(",", -1));
        assertThat(byStep.keySet()).contains("10", "20", "30", "40", "50", "60");
        for (String step : new String[] {"20", "40", "60"}) {
            assertThat(Double.parseDouble(byStep.get(step)[accuracy])).isBetween(0.0, 1.0);
            assertThat(Double.parseDouble(byStep.get(step)[frechet])).isPositive();
        }
        assertThat(byStep.get("30")[accuracy]).isEmpty();
        JsonNode best = RunDirectory.JSON.readTree(run.resolve("checkpoints/best/best.json").toFile());
        double lowest = java.util.stream.Stream.of("20", "40", "60")
                .mapToDouble(s -> Double.parseDouble(byStep.get(s)[frechet])).min().orElseThrow();
        assertThat(best.at("/score/frechet").asDouble()).isCloseTo(lowest, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(run.resolve("checkpoints/best/model.index")).isRegularFile();

        // every command that reads a run can take the best checkpoint, or a step's
        long bestStep = best.get("step").asLong();
        Path exported = tmp.resolve("best-export");
        assertThat(CliTest.run("export", "--run", run.toString(), "--checkpoint", "best", "--out", exported.toString()).code()).isZero();
        assertThat(Files.readString(exported.resolve("1/assets.extra/provenance.json"))).contains("\"step\" : " + bestStep);
        CliTest.Outcome sampled = CliTest.run("sample", "--run", run.toString(), "--checkpoint", "60", "--count", "4",
                "--out", tmp.resolve("at60.png").toString());
        assertThat(sampled.code()).as(sampled.err()).isZero();
        CliTest.Outcome missing = CliTest.run("sample", "--run", run.toString(), "--checkpoint", "7", "--out", tmp.resolve("x.png").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("--checkpoint 7").contains("60");
        CliTest.Outcome noBest = CliTest.run("eval", "--run", runDir.toString(), "--checkpoint", "best");
        assertThat(noBest.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noBest.err()).contains("--eval-every");

        // facegan plot: losses, the game, and both evaluation curves, one chart under the other
        Path curves = tmp.resolve("curves.png");
        assertThat(CliTest.run("plot", "--run", run.toString(), "--out", curves.toString()).code()).isZero();
        var image = javax.imageio.ImageIO.read(curves.toFile());
        assertThat(image.getHeight()).isEqualTo(4 * org.facegan.eval.TrainingCurves.HEIGHT);
        Path plain = tmp.resolve("plain.png");
        assertThat(CliTest.run("plot", "--run", runDir.toString(), "--out", plain.toString()).code()).isZero();
        assertThat(javax.imageio.ImageIO.read(plain.toFile()).getHeight()).isEqualTo(2 * org.facegan.eval.TrainingCurves.HEIGHT);
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void aBundleNeedsDataAndThenEvaluatesToTheGivenFile() throws Exception {
        CliTest.Outcome refused = CliTest.run("eval", "--run", bundleDir.toString());
        assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("--data").contains("bundle");
        Path out = tmp.resolve("bundle-eval.json");
        CliTest.Outcome o = CliTest.run("eval", "--run", bundleDir.toString(), "--data", "synthetic:300", "--count", "20",
                "--classifier-steps", "20", "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(RunDirectory.JSON.readTree(out.toFile()).get("count").asInt()).isEqualTo(20);
        assertThat(bundleDir.resolve("eval")).doesNotExist(); // exports are never modified
    }
}
