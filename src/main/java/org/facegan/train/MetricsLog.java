package org.facegan.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.facegan.io.AtomicFiles;

/**
 * metrics.csv: one row per logging interval (step, losses, D(real), D(fake), img/s, input wait, balancing's skips and
 * L2 weight). On resume, rows past the restored checkpoint are dropped first, so a step never appears twice.
 */
public final class MetricsLog implements AutoCloseable {
    public static final String HEADER = "step,d_loss,g_loss,e_loss,d_real,d_fake,images_per_s,input_wait,elapsed_s,d_skips,g_skips,d_l2";

    private final BufferedWriter out;

    /** Opens the log, keeping only rows with step <= {@code resumeStep}. */
    public MetricsLog(Path file, long resumeStep) {
        try {
            List<String> kept = new ArrayList<>();
            kept.add(HEADER);
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    int comma = line.indexOf(',');
                    if (comma > 0 && isWhole(line) && Long.parseLong(line.substring(0, comma)) <= resumeStep) {
                        kept.add(line);
                    }
                }
            }
            AtomicFiles.write(file, (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8));
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isWhole(String line) {
        return line.split(",", -1).length == HEADER.split(",").length && !line.endsWith(",");
    }

    public void append(StepStats s) {
        try {
            out.write(String.format(Locale.ROOT, "%d,%.5f,%.5f,%.5f,%.5f,%.5f,%.1f,%.4f,%.1f,%d,%d,%.6g%n", s.step(),
                    s.dLoss(), s.gLoss(), s.eLoss(), s.dReal(), s.dFake(), s.imagesPerSecond(), s.inputWait(),
                    s.elapsedSeconds(), s.dSkips(), s.gSkips(), s.dL2()));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to metrics.csv: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
