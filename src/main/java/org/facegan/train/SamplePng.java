package org.facegan.train;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.facegan.data.ImageGrid;

/**
 * Writes a {@link SampleGrid}'s images as a PNG, each row labelled with its attribute setting on the left. Small
 * faces are scaled up (nearest neighbour, so no detail is invented) to make them readable in a browser.
 */
public final class SamplePng implements Trainer.SampleWriter {
    private static final int MIN_TILE = 64;

    @Override
    public void write(float[] images, SampleGrid grid, int imageSize, Path file) {
        BufferedImage faces = ImageGrid.grid(images, grid.count(), imageSize, grid.columns());
        int scale = Math.max(1, MIN_TILE / imageSize);
        int labelWidth = 130;
        int w = labelWidth + faces.getWidth() * scale, h = faces.getHeight() * scale;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(faces, labelWidth, 0, faces.getWidth() * scale, h, null);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            double rowHeight = (double) h / grid.rows();
            for (int r = 0; r < grid.rows(); r++) {
                int baseline = (int) Math.round((r + 0.5) * rowHeight + g.getFontMetrics().getAscent() / 2.0 - 2);
                g.drawString(grid.rowLabels().get(r), 6, baseline);
            }
        } finally {
            g.dispose();
        }
        ImageGrid.writePng(out, file);
    }
}
