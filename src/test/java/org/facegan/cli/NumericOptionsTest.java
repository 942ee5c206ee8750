package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every numeric option refuses an out-of-range value before any work: exit code 2 and one line naming the option.
 * (The run does not exist: checking the option first is what makes these pass.)
 */
class NumericOptionsTest {
    static Stream<Arguments> badValues() {
        return rows().map(r -> Arguments.of(r[0], List.of(r).subList(1, r.length)));
    }

    private static Stream<String[]> rows() {
        String run = "target/no-such-run";
        return Stream.of(
                new String[] {"--steps", "train", "--steps", "0"},
                new String[] {"--batch", "train", "--batch", "1"},
                new String[] {"--lr", "train", "--lr", "0"},
                new String[] {"--lr", "train", "--lr", "NaN"},
                new String[] {"--beta1", "train", "--beta1", "1"},
                new String[] {"--mismatch", "train", "--mismatch", "-1"},
                new String[] {"--auxiliary", "train", "--auxiliary", "11"},
                new String[] {"--encoder-recon", "train", "--encoder-recon", "-0.5"},
                new String[] {"--latent-recon", "train", "--latent-recon", "NaN"},
                new String[] {"--sample-every", "train", "--sample-every", "0"},
                new String[] {"--checkpoint-every", "train", "--checkpoint-every", "-3"},
                new String[] {"--keep-checkpoints", "train", "--keep-checkpoints", "0"},
                new String[] {"--threads", "train", "--threads", "-1"},
                new String[] {"--crop", "train", "--crop", "-4"},
                new String[] {"--label-smoothing", "train", "--label-smoothing", "0.4"},
                new String[] {"--balance", "train", "--balance", "margin:0.7"},
                new String[] {"--collapse-patience", "train", "--collapse-patience", "-2"},
                new String[] {"--max-rollbacks", "train", "--max-rollbacks", "-1"},
                new String[] {"--device", "train", "--device", "tpu"},
                new String[] {"--devices", "train", "--devices", "cpu:0,gpu:0"},
                new String[] {"--devices", "train", "--devices", "cpu:0,cpu:0"},
                new String[] {"--devices", "train", "--devices", "cpu:0,,cpu:1"},
                new String[] {"--devices", "train", "--batch", "63", "--devices", "cpu:0,cpu:1"},
                new String[] {"--devices", "train", "--device", "cpu", "--devices", "cpu:0,cpu:1"},
                new String[] {"--mode", "train", "--mode", "vae"},
                new String[] {"--reuse-fakes", "train", "--reuse-fakes", "--balance", "margin"},
                new String[] {"--reuse-fakes", "train", "--reuse-fakes", "--balance", "l2"},
                new String[] {"--reuse-fakes", "train", "--reuse-fakes", "--mode", "vaegan"},
                new String[] {"--reuse-fakes", "train", "--reuse-fakes", "--precision", "fp16"},
                new String[] {"--reuse-fakes", "bench", "--reuse-fakes", "--precision", "fp16"},
                new String[] {"--precision", "train", "--precision", "fp8"},
                new String[] {"--d-lr", "train", "--d-lr", "1.5"},
                new String[] {"--lr-decay", "train", "--lr-decay", "1.5"},
                new String[] {"--lr-decay", "train", "--lr-decay", "-0.1"},
                new String[] {"--g-average", "train", "--g-average", "1"},
                new String[] {"--g-average", "train", "--g-average", "-0.5"},
                new String[] {"--precision", "bench", "--precision", "int8"},
                new String[] {"--kl-weight", "train", "--mode", "vaegan", "--kl-weight", "-1"},
                new String[] {"--recon-weight", "train", "--mode", "vaegan", "--recon-weight", "0"},
                new String[] {"--gan-weight", "train", "--mode", "vaegan", "--gan-weight", "101"},
                new String[] {"--eval-every", "train", "--eval-every", "15"},
                new String[] {"--count", "sample", "--run", run, "--count", "0"},
                new String[] {"--columns", "sample", "--run", run, "--columns", "-1"},
                new String[] {"--count", "projector", "--run", run, "--count", "0"},
                new String[] {"--frames", "walk", "--run", run, "--frames", "1"},
                new String[] {"--keys", "walk", "--run", run, "--keys", "1"},
                new String[] {"--delay", "walk", "--run", run, "--delay", "5"},
                new String[] {"--count", "encode", "--run", run, "--data", "synthetic", "--count", "-1"},
                new String[] {"--count", "attributes", "--run", run, "--count", "-1"},
                new String[] {"--count", "reconstruct", "--run", run, "--data", "synthetic", "--count", "0"},
                new String[] {"--top", "score", "--run", run, "--top", "-1", "x.png"},
                new String[] {"--count", "sweep", "--run", run, "--axis", "A=0:1", "--count", "0"},
                new String[] {"--steps", "sweep", "--run", run, "--axis", "A=0:1", "--steps", "1"},
                new String[] {"--count", "data", "synth", "--out", "target/never", "--count", "0"},
                new String[] {"--size", "data", "synth", "--out", "target/never", "--count", "4", "--size", "48"},
                new String[] {"--count", "eval", "--run", run, "--count", "1"},
                new String[] {"--classifier-steps", "eval", "--run", run, "--classifier-steps", "0"},
                new String[] {"--nuisance-steps", "eval", "--run", run, "--nuisance-steps", "0"},
                new String[] {"--best-by", "train", "--best-by", "fid"},
                new String[] {"--port", "serve", "--model-base", "target", "--port", "70000"},
                new String[] {"--max-batch", "serve", "--model-base", "target", "--max-batch", "0"},
                new String[] {"--max-body-mb", "serve", "--model-base", "target", "--max-body-mb", "0"},
                new String[] {"--poll-seconds", "serve", "--model-base", "target", "--poll-seconds", "0"},
                new String[] {"--batch", "bench", "--batch", "1"},
                new String[] {"--steps", "bench", "--steps", "0"},
                new String[] {"--threads", "bench", "--threads", "-1"},
                new String[] {"--devices", "bench", "--devices", "cpu:0,cpu:1", "--batch", "9"},
                new String[] {"--threads", "bench", "train", "--threads", "-1"},
                new String[] {"--precision", "bench", "train", "--precision", "int8"},
                new String[] {"--batch", "bench", "train", "--batch", "1"},
                new String[] {"--warmup", "bench", "train", "--warmup", "-1"},
                new String[] {"--devices", "bench", "train", "--devices", "gpu:0,cpu:1"},
                new String[] {"--size", "bench", "--data", "synthetic:8", "--size", "48"},
                new String[] {"--size", "bench", "input", "--data", "synthetic:8", "--size", "48"},
                new String[] {"--batch", "bench", "input", "--data", "synthetic:8", "--batch", "1"},
                new String[] {"--requests", "bench", "--serve", "http://127.0.0.1:1/v1/models/x", "--requests", "0"},
                new String[] {"--clients", "bench", "serve", "http://127.0.0.1:1/v1/models/x", "--clients", "0"});
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badValues")
    void outOfRangeIsAUsageErrorNamingTheOption(String option, List<String> args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Facegan.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute(args.toArray(String[]::new));
        assertThat(code).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).as(String.join(" ", args)).contains(option);
        assertThat(err.toString().lines()).as(err.toString()).hasSize(1);
    }
}
