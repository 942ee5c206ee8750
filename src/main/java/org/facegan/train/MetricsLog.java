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
 * L2 weight, D(G(z)) in G's phase, and, on rows of a periodic evaluation, its scores; empty cells otherwise). On
 * resume, rows past the restored checkpoint are dropped first, so a step never appears twice.
 */
public final class MetricsLog implements AutoCloseable {
    /**
     * The periodic evaluation's other distances, each a column {@code eval_METRIC_SPACE} (the classifier's Fréchet
     * distance is {@code eval_frechet}, as before they existed).
     */
    public static final java.util.List<String> EVAL_DISTANCES =
            java.util.List.of("kid_classifier", "frechet_nuisance", "kid_nuisance", "swd_patches");
    public static final String HEADER = "step,d_loss,g_loss,e_loss,d_real,d_fake,images_per_s,input_wait,elapsed_s,d_skips,g_skips,d_l2,d_gen,"
            + "eval_cond_acc,eval_frechet,eval_" + String.join(",eval_", EVAL_DISTANCES);
    private static final int COLUMNS = HEADER.split(",").length;

    private final BufferedWriter out;

    /** Opens the log, keeping only rows with step <= {@code resumeStep}. */
    public MetricsLog(Path file, long resumeStep) {
        try {
            List<String> kept = new ArrayList<>();
            kept.add(HEADER);
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                // a kill while appending leaves a last line without its newline: torn, whatever it holds
                if (!text.endsWith("\n")) text = text.substring(0, text.lastIndexOf('\n') + 1);
                List<String> lines = text.lines().toList();
                // rows written by an older facegan, whose header is a prefix of today's, get empty new cells
                int columns = lines.isEmpty() || !HEADER.startsWith(lines.get(0)) ? COLUMNS : lines.get(0).split(",").length;
                String padding = ",".repeat(COLUMNS - columns);
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    int comma = line.indexOf(',');
                    if (comma > 0 && line.split(",", -1).length == columns
                            && Long.parseLong(line.substring(0, comma)) <= resumeStep) {
                        kept.add(line + padding);
                    }
                }
            }
            AtomicFiles.write(file, (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8));
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private static String evalCells(PeriodicEval.Score score) {
        StringBuilder cells = new StringBuilder(String.format(Locale.ROOT, "%.4f,%.3f", score.conditionalAccuracy(),
                score.frechet()));
        for (String metric : EVAL_DISTANCES) {
            Double value = score.distances().get(metric);
            cells.append(',').append(value == null ? "" : String.format(Locale.ROOT, "%.6g", value));
        }
        return cells.toString();
    }

    public void append(StepStats s) {
        try {
            String eval = s.eval() == null ? ",".repeat(1 + EVAL_DISTANCES.size()) : evalCells(s.eval());
            out.write(String.format(Locale.ROOT, "%d,%.5f,%.5f,%.5f,%.5f,%.5f,%.1f,%.4f,%.1f,%d,%d,%.6g,%.5f,%s%n", s.step(),
                    s.dLoss(), s.gLoss(), s.eLoss(), s.dReal(), s.dFake(), s.imagesPerSecond(), s.inputWait(),
                    s.elapsedSeconds(), s.dSkips(), s.gSkips(), s.dL2(), s.dGen(), eval));
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
