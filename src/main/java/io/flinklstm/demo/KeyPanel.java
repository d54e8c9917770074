package io.flinklstm.demo;

import static io.flinklstm.demo.HtmlReport.esc;
import static io.flinklstm.demo.SvgPlot.fmt;

import io.flinklstm.wire.ScoreRecord;
import java.util.List;
import java.util.Map;

/**
 * One key's section of the numeric report: its channels with the prediction, the likelihood, flags,
 * anomalies and versions.
 */
final class KeyPanel {
  private final KeySeries series;
  private final List<? extends AnomalyLabel> windows;
  private final Map<Long, ScoreRecord> scores;
  private final ScoreRecord[] byIndex;
  private final RunSummary run;
  private final int n;

  KeyPanel(
      KeySeries series,
      List<? extends AnomalyLabel> windows,
      Map<Long, ScoreRecord> scores,
      RunSummary run) {
    this.series = series;
    this.windows = windows;
    this.scores = scores;
    this.run = run;
    this.n = series.length();
    this.byIndex = new ScoreRecord[n];
    for (int i = 0; i < n; i++) {
      byIndex[i] = scores.get(series.timestamps()[i]);
    }
  }

  void append(StringBuilder b) {
    int d = series.channels();
    double likelihoodTop = d * (SvgPlot.CHANNEL_HEIGHT + SvgPlot.GAP);
    int height = (int) likelihoodTop + SvgPlot.LIKELIHOOD_HEIGHT + 22;
    long flags = scores.values().stream().filter(s -> s.anomaly).count();
    b.append("<section class=\"key\" id=\"key-")
        .append(esc(series.key()))
        .append("\">\n<h2>")
        .append(esc(series.key()))
        .append("</h2>\n<div class=\"meta\">")
        .append(windows.size())
        .append(" injected anomalies · ")
        .append(flags)
        .append(" flagged events · ")
        .append(scores.size())
        .append(" of ")
        .append(n)
        .append(" events scored</div>\n");
    PanelParts.openSvg(b, height);
    PanelParts.shadeWindows(b, windows, series.timestamps(), height - 22);
    for (int c = 0; c < d; c++) {
      channel(b, c, c * (SvgPlot.CHANNEL_HEIGHT + SvgPlot.GAP));
    }
    likelihood(b, likelihoodTop);
    PanelParts.versionMarks(b, byIndex, height - 22);
    PanelParts.timeAxis(b, series.timestamps(), height - 8);
    b.append("</svg>\n");
    FlaggedEvents.append(b, scores.values());
    b.append("</section>\n");
  }

  private void channel(StringBuilder b, int c, double top) {
    double[] values = new double[n];
    double[] prediction = new double[n];
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      values[i] = series.values()[i][c];
      ScoreRecord s = scores.get(series.timestamps()[i]);
      prediction[i] =
          s == null || s.prediction == null || !ScoreRecord.SCORED.equals(s.status)
              ? Double.NaN
              : s.prediction[c];
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
    }
    double h = SvgPlot.CHANNEL_HEIGHT;
    PanelParts.frame(b, top, h, "channel " + (c + 1), fmt(max), fmt(min));
    b.append(
            "<polyline class=\"series\" fill=\"none\" stroke=\"#4a4a4a\" stroke-width=\"1\" points=\"")
        .append(SvgPlot.rangeLine(values, n, top, h, min, max))
        .append("\"/>\n");
    b.append("<polyline class=\"prediction\" fill=\"none\" stroke=\"#f58518\" stroke-width=\"1.2\"")
        .append(" stroke-opacity=\"0.85\" points=\"")
        .append(SvgPlot.meanLine(prediction, n, top, h, min, max))
        .append("\"/>\n");
  }

  private void likelihood(StringBuilder b, double top) {
    double h = SvgPlot.LIKELIHOOD_HEIGHT;
    double max = SvgPlot.MAX_NINES;
    PanelParts.warmUp(b, byIndex, top, h);
    PanelParts.frame(b, top, h, "likelihood", "0.99999", "0");
    double[] nines = new double[n];
    for (int i = 0; i < n; i++) {
      ScoreRecord s = scores.get(series.timestamps()[i]);
      nines[i] = s == null ? Double.NaN : SvgPlot.nines(s.likelihood);
    }
    StringBuilder points = new StringBuilder();
    int size = SvgPlot.bucket(n);
    for (int s = 0; s < n; s += size) {
      double peak = Double.NaN;
      boolean flagged = false;
      for (int i = s; i < Math.min(n, s + size); i++) {
        peak = Double.isNaN(peak) || nines[i] > peak ? nines[i] : peak;
        ScoreRecord r = scores.get(series.timestamps()[i]);
        flagged |= r != null && r.anomaly;
      }
      if (Double.isNaN(peak)) {
        continue;
      }
      double x = SvgPlot.x(s, n);
      double y = SvgPlot.y(peak, top, h, 0, max);
      points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
      if (flagged) {
        b.append("<circle class=\"flag\" cx=\"")
            .append(fmt(x))
            .append("\" cy=\"")
            .append(fmt(y))
            .append("\" r=\"2.6\" fill=\"#d62728\"/>\n");
      }
    }
    b.append(
            "<polyline class=\"likelihood\" fill=\"none\" stroke=\"#2f6f9f\" stroke-width=\"1\" points=\"")
        .append(points.toString().trim())
        .append("\"/>\n");
    double ty = SvgPlot.y(SvgPlot.nines(run.threshold()), top, h, 0, max);
    b.append("<line class=\"threshold\" x1=\"")
        .append(SvgPlot.LEFT)
        .append("\" x2=\"")
        .append(SvgPlot.WIDTH - SvgPlot.RIGHT)
        .append("\" y1=\"")
        .append(fmt(ty))
        .append("\" y2=\"")
        .append(fmt(ty))
        .append("\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>\n");
    b.append("<text x=\"")
        .append(SvgPlot.WIDTH - SvgPlot.RIGHT - 4)
        .append("\" y=\"")
        .append(fmt(ty - 3))
        .append("\" text-anchor=\"end\" style=\"fill:#d62728\">threshold ")
        .append(run.threshold())
        .append("</text>\n");
  }
}
