package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.facegan.model.Flops;
import org.facegan.train.RunDirectory;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmark's JSON line has every figure the performance notes use (values are the machine's, not checked). */
class BenchCommandTest {
    @Test
    void printsOneJsonLineWithEveryFigure() throws Exception {
        CommandLine cli = Facegan.commandLine();
        var previous = System.out;
        var captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        int code;
        try {
            code = cli.execute("bench", "--net", "small", "--batch", "4", "--steps", "1", "--warmup", "0");
        } finally {
            System.setOut(previous);
        }
        assertThat(code).isZero();
        String[] lines = captured.toString().strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode json = RunDirectory.JSON.readTree(lines[0]);
        for (String positive : new String[] {"train_ms_per_step", "d_ms", "g_ms", "e_ms", "d_g_e_step_ms",
                "train_images_per_s", "sample_images_per_s", "sample_images_per_s_b1", "sample_images_per_s_b256",
                "gflops", "matmul_gflops", "share_of_matmul", "peak_rss_mib", "g_params", "d_params"}) {
            assertThat(json.path(positive).asDouble()).as(positive).isPositive();
        }
        assertThat(json.get("net").asText()).isEqualTo("small");
        assertThat(json.get("gflop_per_step").asDouble()).isCloseTo(
                Flops.trainingStep(BenchCommand.reference(BenchCommand.Net.small), BenchCommand.Y_DIM, 4) / 1e9,
                org.assertj.core.data.Offset.offset(0.05));
    }
}
