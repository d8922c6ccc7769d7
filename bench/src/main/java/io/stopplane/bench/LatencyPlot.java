package io.stopplane.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;

/**
 * The percentile plot of latency distributions (the HdrHistogram way: the x axis is {@code 1/(1-p)} on a log scale, so
 * the tail from p90 to p99.99 gets as much room as the body; the latency axis is logarithmic too, so that a
 * millisecond-scale curve and a second-scale one both show), drawn with java.awt in headless mode.
 */
final class LatencyPlot {

    record Series(String label, Histogram histogram, Color color) {
    }

    private static final int W = 1100;
    private static final int PLOT_H = 480;
    private static final int LEFT = 90;
    private static final int RIGHT = 40;
    private static final int TOP = 70;
    private static final int BOTTOM = 70;
    private static final int LEGEND_ROW = 20;
    private static final double MAX_X = 10_000; // p99.99

    private LatencyPlot() {
    }

    static void write(Path file, String title, String subtitle, List<Series> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int height = TOP + PLOT_H + BOTTOM + LEGEND_ROW * series.size();
        BufferedImage img = new BufferedImage(W, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, height);
        double maxMs = 1;
        double minMs = 1;
        for (Series s : series) {
            if (s.histogram().getTotalCount() > 0) {
                maxMs = Math.max(maxMs, s.histogram().getValueAtPercentile(99.99) / 1000.0);
                minMs = Math.min(minMs, Math.max(0.01, s.histogram().getMinNonZeroValue() / 1000.0));
            }
        }
        double bottom = Math.pow(10, Math.floor(Math.log10(minMs)));
        double top = Math.pow(10, Math.ceil(Math.log10(maxMs * 1.05)));
        int plotW = W - LEFT - RIGHT;
        int plotH = PLOT_H;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(Color.DARK_GRAY);
        g.drawString(subtitle, LEFT, 52);
        // grid and axes
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double tick = bottom; tick <= top * 1.0001; tick *= 10) {
            for (int m = 1; m < 10; m++) {
                double v = tick * m;
                if (v > top * 1.0001) {
                    break;
                }
                int y = (int) Math.round(yOf(v, bottom, top, plotH));
                g.setColor(m == 1 ? new Color(215, 215, 215) : new Color(242, 242, 242));
                g.drawLine(LEFT, y, LEFT + plotW, y);
                if (m == 1) {
                    g.setColor(Color.DARK_GRAY);
                    String label = formatMs(v);
                    g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + 4);
                }
            }
        }
        String[] pct = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int i = 0; i < pct.length; i++) {
            int x = LEFT + (int) Math.round(Math.log10(Math.pow(10, i)) / Math.log10(MAX_X) * plotW);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(pct[i], x - fm.stringWidth(pct[i]) / 2, TOP + plotH + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("percentile", LEFT + plotW / 2 - 30, TOP + plotH + 40);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        gy.drawString("latency (ms, log scale)", -(TOP + plotH / 2 + 65), 25);
        gy.dispose();
        // curves
        int legendY = TOP + plotH + 66;
        int legendX = LEFT;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2.4f));
            Histogram h = s.histogram();
            if (h.getTotalCount() > 0) {
                Path2D path = new Path2D.Double();
                boolean first = true;
                for (double xv = 1; xv <= MAX_X * 1.0001; xv *= 1.02) {
                    double p = Math.min(100.0, 100.0 * (1 - 1 / xv));
                    double ms = h.getValueAtPercentile(p) / 1000.0;
                    double px = LEFT + Math.log10(xv) / Math.log10(MAX_X) * plotW;
                    double py = yOf(ms, bottom, top, plotH);
                    if (first) {
                        path.moveTo(px, py);
                        first = false;
                    } else {
                        path.lineTo(px, py);
                    }
                }
                g.draw(path);
            }
            g.fillRect(legendX, legendY - 9, 22, 4);
            g.setColor(Color.BLACK);
            String label = s.label() + String.format("  (p50 %s, p99 %s ms, n=%d)", formatMs(Latency.ms(h, 50)),
                    formatMs(Latency.ms(h, 99)), h.getTotalCount());
            g.drawString(label, legendX + 30, legendY - 3);
            legendY += LEGEND_ROW;
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** The pixel row of {@code ms} on a log axis from {@code bottom} to {@code top} (clamped to the plot). */
    private static double yOf(double ms, double bottom, double top, int plotH) {
        double clamped = Math.max(bottom, Math.min(top, ms));
        return TOP + plotH - Math.log10(clamped / bottom) / Math.log10(top / bottom) * plotH;
    }

    private static String formatMs(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return ms >= 100 ? String.format("%.0f", ms) : ms >= 10 ? String.format("%.1f", ms) : String.format("%.2f", ms);
    }
}
