package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.facegan.testing.Tolerance;
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
        CliTest.Outcome o = CliTest.run("eval", "--run", runDir.toString(), "--count", "25", "--classifier-steps", "200", "--nuisance-steps", "100");
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode report = RunDirectory.JSON.readTree(runDir.resolve("eval.json").toFile());
        assertThat(report.get("count").asInt()).isEqualTo(25);
        assertThat(report.get("step").asLong()).isEqualTo(40);
        int attributes = report.get("attributes").size();
        assertThat(attributes).isEqualTo(10);
        // 200 steps teach the classifier most of the built-in faces' attributes (1500 reach 95%: AttributeClassifierTest)
        assertThat(mean(report.get("classifierAccuracy"))).isGreaterThan(0.8);
        for (String row : new String[] {"model", "noise", "copy"}) {
            JsonNode r = report.get(row);
            assertThat(r.get("conditionalAccuracy").size()).isEqualTo(attributes);
            // a face with every attribute as asked has each one as asked
            assertThat(r.get("conditionalAccuracyAll").asDouble()).as(row).isLessThanOrEqualTo(min(r.get("conditionalAccuracy")));
        }
        JsonNode model = report.get("model"), noise = report.get("noise"), copy = report.get("copy");
        // the copier's faces are the training faces whose attributes were asked for, which the classifier recognises;
        // noise shows none of them
        assertThat(copy.get("conditionalAccuracyAll").asDouble()).isGreaterThan(noise.get("conditionalAccuracyAll").asDouble() + 0.5);
        assertThat(mean(copy.get("conditionalAccuracy"))).isGreaterThan(mean(noise.get("conditionalAccuracy")) + 0.1);
        // copies of real faces are as far from the held-out faces as real faces are from each other; noise, and G
        // after 40 steps, are much further (here 1.9 and 3.3 times as far)
        double floor = report.get("frechetFloor").asDouble(), copied = copy.get("frechet").asDouble();
        assertThat(copied).isBetween(floor / 2, floor * 2);
        assertThat(noise.get("frechet").asDouble()).isGreaterThan(1.5 * copied);
        assertThat(model.get("frechet").asDouble()).isGreaterThan(1.5 * copied);
        assertThat(noise.get("parzenLogLikelihood").asDouble()).isLessThan(copy.get("parzenLogLikelihood").asDouble());
        // every space's distances, each with its floor: noise is further from real faces than copies of real faces
        Map<String, JsonNode> distances = new java.util.TreeMap<>();
        for (JsonNode d : report.get("distances")) distances.put(d.get("metric").asText() + "_" + d.get("space").asText(), d);
        assertThat(distances).containsOnlyKeys("frechet_classifier", "kid_classifier", "frechet_nuisance", "kid_nuisance",
                "swd_patches", "swd_32px_patches", "swd_16px_patches");
        // the patches' distance is the mean of its levels', as ProGAN's SWD_avg is
        for (String who : new String[] {"model", "noise", "copy", "floor"}) {
            double levels = (distances.get("swd_32px_patches").get(who).asDouble() + distances.get("swd_16px_patches").get(who).asDouble()) / 2;
            assertThat(distances.get("swd_patches").get(who).asDouble()).as(who).isCloseTo(levels, offset(1e-12 * Math.abs(levels)));
        }
        distances.forEach((name, d) -> {
            assertThat(d.get("noise").asDouble()).as(name).isGreaterThan(d.get("copy").asDouble());
            assertThat(d.get("floor").asDouble()).as(name).isLessThan(d.get("noise").asDouble());
        });
        // the built-in faces know their nuisance factors: each compared, in units of the real faces' spread
        JsonNode factors = report.get("factors");
        assertThat(factors).hasSize(21);
        assertThat(factors.get(0).get("factor").asText()).isEqualTo("dx");
        for (JsonNode f : factors) {
            assertThat(f.get("realSd").asDouble()).as(f.get("factor").asText()).isPositive();
            assertThat(f.get("wasserstein").asDouble()).as(f.get("factor").asText()).isPositive();
        }
        // the classifier's Fréchet distance is the one the model row reports (the same three sets, summed in another order)
        assertThat(distances.get("frechet_classifier").get("model").asDouble())
                .isCloseTo(model.get("frechet").asDouble(), offset(Tolerance.reorderedSum64(3, model.get("frechet").asDouble())));
        // D judged 25 held-out and 25 generated faces: its accuracy is a count of 50 (k / 50 in double, times 50, is
        // within a few ulps of k)
        double judged = report.get("discriminatorAccuracy").asDouble() * 50;
        assertThat(judged).isCloseTo(Math.rint(judged), offset(1e-9));

        // Reused: the second eval asks for no --classifier-steps, so a new classifier would train 1500 steps and
        // replace the files
        Path classifier = runDir.resolve("eval/classifier");
        Map<String, String> trained = hashes(classifier);
        CliTest.Outcome again = CliTest.run("eval", "--run", runDir.toString(), "--count", "25");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(hashes(classifier)).as("the classifier's files").isEqualTo(trained);
        assertThat(RunDirectory.JSON.readTree(classifier.resolve("classifier.json").toFile()).get("steps").asInt())
                .isEqualTo(200);
        assertThat(RunDirectory.JSON.readTree(runDir.resolve("eval.json").toFile()).get("classifierAccuracy"))
                .isEqualTo(report.get("classifierAccuracy"));
    }

    private static double mean(JsonNode values) {
        double sum = 0;
        for (JsonNode v : values) sum += v.asDouble();
        return sum / values.size();
    }

    private static double min(JsonNode values) {
        double min = Double.POSITIVE_INFINITY;
        for (JsonNode v : values) min = Math.min(min, v.asDouble());
        return min;
    }

    /** SHA-256 of every file under {@code dir}, by relative path. */
    private static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
                out.put(dir.relativize(f).toString(), HexFormat.of().formatHex(digest));
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    @Test
    void evalEveryLogsScoresAndKeepsTheBestCheckpoint() throws Exception {
        Path model = Files.writeString(tmp.resolve("tiny-every.json"), CliTest.TINY_MODEL);
        Path run = tmp.resolve("every");
        String[] train = {"train", "--data", "synthetic:300", "--model", model.toString(), "--batch", "16",
                "--run", run.toString(), "--export", "none"};
        assertThat(CliTest.run(concat(train, "--steps", "10")).code()).isZero();
        // a quickly trained classifier, which --eval-every then reuses
        assertThat(CliTest.run("eval", "--run", run.toString(), "--count", "20", "--classifier-steps", "30", "--nuisance-steps", "30").code()).isZero();
        CliTest.Outcome o = CliTest.run(concat(train, "--steps", "60", "--eval-every", "20"));
        assertThat(o.code()).as(o.err()).isZero();

        var rows = Files.readAllLines(run.resolve("metrics.csv"));
        var header = java.util.List.of(rows.get(0).split(","));
        int accuracy = header.indexOf("eval_cond_acc"), frechet = header.indexOf("eval_frechet");
        java.util.Map<String, String[]> byStep = new java.util.TreeMap<>();
        for (String row : rows.subList(1, rows.size())) byStep.put(row.split(",", -1)[0], row.split(",", -1));
        assertThat(byStep.keySet()).contains("10", "20", "30", "40", "50", "60");
        // scored at every 20th step only, and the scores follow G as it trains
        java.util.Set<Double> distances = new java.util.HashSet<>();
        for (String step : new String[] {"20", "40", "60"}) {
            assertThat(byStep.get(step)[accuracy]).as(step).isNotEmpty();
            distances.add(Double.parseDouble(byStep.get(step)[frechet]));
        }
        assertThat(distances).hasSize(3);
        assertThat(byStep.get("30")[accuracy]).isEmpty();
        // and every space's distances beside it
        for (String column : new String[] {"eval_kid_classifier", "eval_frechet_nuisance", "eval_kid_nuisance", "eval_swd_patches"}) {
            assertThat(header).contains(column);
            assertThat(Double.parseDouble(byStep.get("40")[header.indexOf(column)])).as(column).isPositive();
            assertThat(byStep.get("30")[header.indexOf(column)]).as(column).isEmpty();
        }
        JsonNode best = RunDirectory.JSON.readTree(run.resolve("checkpoints/best/best.json").toFile());
        double lowest = java.util.stream.Stream.of("20", "40", "60")
                .mapToDouble(s -> Double.parseDouble(byStep.get(s)[frechet])).min().orElseThrow();
        assertThat(best.at("/score/frechet").asDouble()).isCloseTo(lowest, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(best.get("pickedBy").asText()).isEqualTo("frechet_classifier");
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

        // facegan plot: losses, the game, conditional accuracy, Fréchet in the classifier's and the nuisance
        // network's features, KID in both, and the patches' sliced Wasserstein distance, one chart under the other
        Path curves = tmp.resolve("curves.png");
        assertThat(CliTest.run("plot", "--run", run.toString(), "--out", curves.toString()).code()).isZero();
        var image = javax.imageio.ImageIO.read(curves.toFile());
        assertThat(image.getHeight()).isEqualTo(7 * org.facegan.eval.TrainingCurves.HEIGHT);
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
                "--classifier-steps", "20", "--nuisance-steps", "20", "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(RunDirectory.JSON.readTree(out.toFile()).get("count").asInt()).isEqualTo(20);
        assertThat(bundleDir.resolve("eval")).doesNotExist(); // exports are never modified
    }
}
