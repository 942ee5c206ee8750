package org.facegan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code facegan worker}'s help and its refusals: one line, exit 2, before any server starts. */
class WorkerCommandTest {
    @Test
    void helpShowsAnExampleAndBadSpecsExitTwoWithOneLine(@TempDir Path tmp) throws Exception {
        StringWriter help = new StringWriter();
        assertThat(Facegan.commandLine().setOut(new PrintWriter(help, true)).execute("worker", "--help")).isEqualTo(0);
        assertThat(help.toString()).contains("facegan worker --cluster cluster.json --task 1").contains("unauthenticated");

        Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"cluster\": {\"worker\": [\"a:1\"");
        Path chief = Files.writeString(tmp.resolve("c.json"), "{\"cluster\": {\"worker\": [\"127.0.0.1:1\", \"127.0.0.1:2\"]}}");
        String[][] cases = {
                {"not JSON", "worker", "--cluster", broken.toString(), "--task", "1"},
                {"task 0 is the chief", "worker", "--cluster", chief.toString(), "--task", "0"},
                {"task index must be 0 to 1", "worker", "--cluster", chief.toString(), "--task", "5"},
                {"no task", "worker", "--cluster", chief.toString()},
                {"cannot read", "worker", "--cluster", tmp.resolve("missing.json").toString(), "--task", "1"},
        };
        for (String[] c : cases) {
            StringWriter err = new StringWriter();
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            int code = Facegan.commandLine().setErr(new PrintWriter(err, true)).execute(args);
            assertThat(code).as(err.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString().lines().toList()).as(c[0]).hasSize(1);
            assertThat(err.toString()).as(c[0]).startsWith("facegan worker: error: ").contains(c[0]);
        }
    }
}
