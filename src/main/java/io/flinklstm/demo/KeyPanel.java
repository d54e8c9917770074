package io.flinklstm.demo;

import static io.flinklstm.demo.HtmlReport.esc;
import static io.flinklstm.demo.SvgPlot.fmt;

import io.flinklstm.wire.ScoreRecord;
import java.util.List;
import java.util.Map;

/** One key's section of the report: its channels, likelihood, flags, anomalies and versions. */
final class KeyPanel {
  private final KeySeries series;
  private final List<AnomalyWindow> windows;
  private final Map<Long, ScoreRecord> scores;
  private final RunSummary run;
  private final int n;

  KeyPanel(
      KeySeries series,
      List<AnomalyWindow> windows,
      Map<Long, ScoreRecord> scores,
      RunSummary run) {
    this.series = series;
    this.windows = windows;
    this.scores = scores;
    this.run = run;
    this.n = series.length();
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
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(SvgPlot.WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(SvgPlot.WIDTH)
        .append(' ')
        .append(height)
        .append("\" role=\"img\">\n");
    shadeWindows(b, height - 22);
    for (int c = 0; c < d; c++) {
      channel(b, c, c * (SvgPlot.CHANNEL_HEIGHT + SvgPlot.GAP));
    }
    likelihood(b, likelihoodTop);
    versionMarks(b, height - 22);
    timeAxis(b, height - 8);
    b.append("</svg>\n</section>\n");
  }

  private void shadeWindows(StringBuilder b, double bottom) {
    for (AnomalyWindow w : windows) {
      int first = index(w.startTs());
      int last = index(w.endTs());
      double x0 = SvgPlot.x(first, n) - 1.5;
      double width = Math.max(3, SvgPlot.x(last, n) - SvgPlot.x(first, n) + 3);
      String color = HtmlReport.COLORS.get(w.kind());
      b.append("<rect class=\"window\" data-kind=\"")
          .append(w.kind().name())
          .append("\" x=\"")
          .append(fmt(x0))
          .append("\" y=\"0\" width=\"")
          .append(fmt(width))
          .append("\" height=\"")
          .append(fmt(bottom))
          .append("\" fill=\"")
          .append(color)
          .append("\" fill-opacity=\"0.16\"><title>")
          .append(esc(w.kind().label()))
          .append(", ")
          .append(HtmlReport.date(w.startTs()))
          .append(" – ")
          .append(HtmlReport.date(w.endTs()))
          .append("</title></rect>\n");
      b.append("<text class=\"label\" x=\"")
          .append(fmt(x0 + 2))
          .append("\" y=\"11\" style=\"fill:")
          .append(color)
          .append("\">")
          .append(esc(w.kind().label()))
          .append("</text>\n");
    }
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
    frame(b, top, h, "channel " + (c + 1), fmt(max), fmt(min));
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
    warmUp(b, top, h);
    frame(b, top, h, "likelihood", "0.99999", "0");
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

  /** Shades the leading events the detector scored while still warming up: no flags there. */
  private void warmUp(StringBuilder b, double top, double h) {
    int last = -1;
    for (int i = 0; i < n; i++) {
      ScoreRecord s = scores.get(series.timestamps()[i]);
      if (s != null && s.warmingUp) {
        last = i;
      }
    }
    if (last < 0) {
      return;
    }
    b.append("<rect class=\"warmup\" x=\"")
        .append(SvgPlot.LEFT)
        .append("\" y=\"")
        .append(fmt(top))
        .append("\" width=\"")
        .append(fmt(SvgPlot.x(last, n) - SvgPlot.LEFT))
        .append("\" height=\"")
        .append(fmt(h))
        .append("\" fill=\"#ececec\"/>\n");
    b.append("<text x=\"")
        .append(SvgPlot.LEFT + 4)
        .append("\" y=\"")
        .append(fmt(top + 11))
        .append("\">detector warm-up</text>\n");
  }

  private void versionMarks(StringBuilder b, double bottom) {
    long previous = -1;
    for (int i = 0; i < n; i++) {
      ScoreRecord s = scores.get(series.timestamps()[i]);
      if (s == null || !ScoreRecord.SCORED.equals(s.status)) {
        continue;
      }
      if (s.modelVersion != previous) {
        double x = SvgPlot.x(i, n);
        b.append("<line class=\"version\" data-version=\"")
            .append(s.modelVersion)
            .append("\" x1=\"")
            .append(fmt(x))
            .append("\" x2=\"")
            .append(fmt(x))
            .append("\" y1=\"14\" y2=\"")
            .append(fmt(bottom))
            .append("\" stroke=\"#888\" stroke-dasharray=\"2 3\"/>\n");
        b.append("<text x=\"")
            .append(fmt(x + 3))
            .append("\" y=\"")
            .append(fmt(bottom - 3))
            .append("\">v")
            .append(s.modelVersion)
            .append("</text>\n");
        previous = s.modelVersion;
      }
    }
  }

  private void frame(StringBuilder b, double top, double h, String name, String hi, String lo) {
    b.append("<rect x=\"")
        .append(SvgPlot.LEFT)
        .append("\" y=\"")
        .append(fmt(top))
        .append("\" width=\"")
        .append(SvgPlot.WIDTH - SvgPlot.LEFT - SvgPlot.RIGHT)
        .append("\" height=\"")
        .append(fmt(h))
        .append("\" fill=\"none\" stroke=\"#e3e3e3\"/>\n");
    b.append("<text x=\"")
        .append(SvgPlot.LEFT - 4)
        .append("\" y=\"")
        .append(fmt(top + 10))
        .append("\" text-anchor=\"end\">")
        .append(hi)
        .append("</text>\n");
    b.append("<text x=\"")
        .append(SvgPlot.LEFT - 4)
        .append("\" y=\"")
        .append(fmt(top + h - 2))
        .append("\" text-anchor=\"end\">")
        .append(lo)
        .append("</text>\n");
    b.append("<text x=\"")
        .append(SvgPlot.LEFT - 4)
        .append("\" y=\"")
        .append(fmt(top + h / 2 + 4))
        .append("\" text-anchor=\"end\" class=\"label\">")
        .append(esc(name))
        .append("</text>\n");
  }

  private void timeAxis(StringBuilder b, double y) {
    for (int t = 0; t <= 4; t++) {
      int i = (int) Math.round((n - 1) * t / 4.0);
      b.append("<text x=\"")
          .append(fmt(SvgPlot.x(i, n)))
          .append("\" y=\"")
          .append(fmt(y))
          .append("\" text-anchor=\"")
          .append(t == 0 ? "start" : t == 4 ? "end" : "middle")
          .append("\">")
          .append(HtmlReport.date(series.timestamps()[i]))
          .append("</text>\n");
    }
  }

  private int index(long ts) {
    long step = n > 1 ? series.timestamps()[1] - series.timestamps()[0] : 1;
    return (int) Math.max(0, Math.min(n - 1, (ts - series.timestamps()[0]) / step));
  }
}
