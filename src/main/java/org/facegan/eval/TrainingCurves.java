package org.facegan.eval;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.facegan.data.ImageGrid;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A run's curves from its metrics.csv, drawn with XChart and stacked into one image: the losses; the monitor of the
 * game from seed 003 ("Generating Faces with Torch"), D(real), D(fake) and gen (D(G(z)) in G's phase); and, when
 * the run evaluated itself, conditional accuracy and Fréchet distance.
 */
public final class TrainingCurves {
    public static final int WIDTH = 900, HEIGHT = 300;

    private final Map<String, List<double[]>> series = new LinkedHashMap<>(); // column -> (step, value) points

    private TrainingCurves() {}

    /**
     * Reads every numeric column of {@code metricsCsv} (empty cells are skipped).
     *
     * @throws IllegalArgumentException naming the file when it is missing, empty or not facegan's
     */
    public static TrainingCurves read(Path metricsCsv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(metricsCsv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + metricsCsv + " (" + e.getMessage() + "): train the run first", e);
        }
        if (lines.size() < 2 || !lines.get(0).startsWith("step,")) {
            throw new IllegalArgumentException(metricsCsv + " has no metrics rows yet (expected a header starting with step,)");
        }
        String[] header = lines.get(0).split(",");
        TrainingCurves curves = new TrainingCurves();
        for (String h : header) curves.series.put(h, new ArrayList<>());
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length != header.length) continue;
            double step = Double.parseDouble(cells[0]);
            for (int i = 1; i < header.length; i++) {
                if (!cells[i].isEmpty()) curves.series.get(header[i]).add(new double[] {step, Double.parseDouble(cells[i])});
            }
        }
        return curves;
    }

    /** Points of a column: (step, value). */
    public List<double[]> points(String column) {
        return series.getOrDefault(column, List.of());
    }

    /** The charts, one under the other. */
    public BufferedImage render(String title) {
        List<XYChart> charts = new ArrayList<>();
        charts.add(chart(title + ": losses", "loss", "d_loss", "g_loss", "e_loss"));
        charts.add(chart("the game: D(real), D(fake), gen = D(G(z)) in G's step", "probability",
                "d_real", "d_fake", "d_gen"));
        if (!points("eval_cond_acc").isEmpty()) {
            charts.add(chart("conditional accuracy (mean over attributes)", "accuracy", "eval_cond_acc"));
            charts.add(chart("Fréchet distance (classifier features)", "distance", "eval_frechet"));
            if (!points("eval_frechet_nuisance").isEmpty()) {
                charts.add(chart("Fréchet distance (nuisance features)", "distance", "eval_frechet_nuisance"));
                charts.add(chart("KID (classifier and nuisance features)", "KID", "eval_kid_classifier", "eval_kid_nuisance"));
                charts.add(chart("sliced Wasserstein distance (Laplacian-pyramid patches)", "SWD", "eval_swd_patches"));
            }
        }
        BufferedImage out = new BufferedImage(WIDTH, HEIGHT * charts.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < charts.size(); i++) g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), 0, i * HEIGHT, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private XYChart chart(String title, String yTitle, String... columns) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        for (String column : columns) {
            List<double[]> p = points(column);
            if (p.isEmpty()) continue;
            double[] x = new double[p.size()], y = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                x[i] = p.get(i)[0];
                y[i] = p.get(i)[1];
            }
            chart.addSeries(column, x, y).setMarker(p.size() > 50 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** Renders and writes a PNG (atomically). */
    public void writePng(String title, Path file) {
        ImageGrid.writePng(render(title), file);
    }
}
