package org.facegan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @Test
    void resumingDropsLaterAndTornRowsAndPadsRowsOfAnOlderHeader(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("metrics.csv");
        String oldHeader = "step,d_loss,g_loss,e_loss,d_real,d_fake,images_per_s,input_wait,elapsed_s";
        // written by an older facegan, killed in the middle of a row
        Files.writeString(file, oldHeader + "\n10,1,2,3,0.5,0.4,100,0,1\n20,1,2,3,0.5,0.4,100,0,2\n30,1,2,3,0.5,0.4,100,0,3\n40,1,2,3");
        new MetricsLog(file, 30).close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo(MetricsLog.HEADER);
        int columns = MetricsLog.HEADER.split(",").length;
        assertThat(lines.subList(1, lines.size())).hasSize(3).allSatisfy(l -> assertThat(l.split(",", -1)).hasSize(columns));
        assertThat(lines.get(3)).startsWith("30,1,2,3");

        new MetricsLog(file, 20).close();
        assertThat(Files.readAllLines(file)).hasSize(3);
    }
}
