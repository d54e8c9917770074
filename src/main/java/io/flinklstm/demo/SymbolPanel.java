package io.flinklstm.demo;

import static io.flinklstm.demo.HtmlReport.esc;
import static io.flinklstm.demo.SvgPlot.fmt;

import io.flinklstm.wire.ScoreRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One key's section of the report of a symbol stream: a lane per symbol with a tick for every event
 * that carried it, the surprise −log p(symbol) of every scored event, the flags coloured by
 * verdict, the injected anomalies and the model version changes. Events are placed by arrival,
 * evenly apart.
 */
final class SymbolPanel {
  /**
   * The flag colour of each verdict, in legend order; {@code expected} flags come from likelihood.
   */
  static final Map<String, String> VERDICT_COLORS;

  static {
    Map<String, String> colors = new LinkedHashMap<>();
    colors.put(ScoreRecord.NOT_IN_TOP_G, "#d62728");
    colors.put(ScoreRecord.IMPROBABLE, "#ff7f0e");
    colors.put(ScoreRecord.UNKNOWN, "#6a3d9a");
    colors.put(ScoreRecord.EXPECTED, "#1f77b4");
    VERDICT_COLORS = Collections.unmodifiableMap(colors);
  }

  private static final String PLAIN_TICK = "#4a4a4a";
  private static final int ROW = 10;
  private static final int TOP = 16;
  private static final int SURPRISE_HEIGHT = 84;

  private final SymbolTimeline timeline;
  private final List<AnomalyLabel> windows;
  private final ScoreRecord[] scores;
  private final int n;

  SymbolPanel(SymbolTimeline timeline, List<AnomalyLabel> windows, Map<Long, ScoreRecord> scores) {
    this.timeline = timeline;
    this.windows = windows;
    this.n = timeline.length();
    this.scores = new ScoreRecord[n];
    for (int i = 0; i < n; i++) {
      this.scores[i] = scores.get(timeline.timestamps()[i]);
    }
  }

  /**
   * How the legend and the tooltips name a verdict: {@code expected} flags come from likelihood.
   */
  static String verdictLabel(String verdict) {
    return ScoreRecord.EXPECTED.equals(verdict) ? "by likelihood" : verdict.replace('_', ' ');
  }

  private static String color(ScoreRecord s) {
    return VERDICT_COLORS.getOrDefault(s.verdict, VERDICT_COLORS.get(ScoreRecord.EXPECTED));
  }

  void append(StringBuilder b) {
    Map<String, Integer> rows = rows();
    double laneHeight = Math.max(1, rows.size()) * ROW + 4;
    double surpriseTop = TOP + laneHeight + SvgPlot.GAP;
    int height = (int) (surpriseTop + SURPRISE_HEIGHT + 22);
    meta(b);
    PanelParts.openSvg(b, height);
    PanelParts.shadeWindows(b, windows, timeline.timestamps(), height - 22);
    symbols(b, rows, laneHeight);
    surprise(b, surpriseTop);
    PanelParts.versionMarks(b, scores, height - 22);
    PanelParts.timeAxis(b, timeline.timestamps(), height - 8);
    b.append("</svg>\n");
    FlaggedEvents.append(
        b, java.util.Arrays.stream(scores).filter(java.util.Objects::nonNull).toList());
    b.append("</section>\n");
  }

  private void meta(StringBuilder b) {
    Map<String, Integer> flags = new LinkedHashMap<>();
    int scored = 0;
    for (ScoreRecord s : scores) {
      scored += s == null ? 0 : 1;
      if (s != null && s.anomaly) {
        flags.merge(
            verdictLabel(s.verdict == null ? ScoreRecord.EXPECTED : s.verdict), 1, Integer::sum);
      }
    }
    int flagged = flags.values().stream().mapToInt(Integer::intValue).sum();
    b.append("<section class=\"key\" id=\"key-")
        .append(esc(timeline.key()))
        .append("\">\n<h2>")
        .append(esc(timeline.key()))
        .append("</h2>\n<div class=\"meta\">")
        .append(windows.size())
        .append(" injected anomalies · ")
        .append(flagged)
        .append(" flagged events");
    if (!flags.isEmpty()) {
      StringBuilder by = new StringBuilder();
      flags.forEach(
          (v, c) -> by.append(by.length() == 0 ? "" : ", ").append(c).append(' ').append(v));
      b.append(" (").append(esc(by.toString())).append(')');
    }
    b.append(" · ").append(scored).append(" of ").append(n).append(" events scored</div>\n");
  }

  /** The key's symbols in the order they first come, one lane each. */
  private Map<String, Integer> rows() {
    Map<String, Integer> rows = new LinkedHashMap<>();
    for (String s : timeline.symbols()) {
      rows.putIfAbsent(s, rows.size());
    }
    return rows;
  }

  private void symbols(StringBuilder b, Map<String, Integer> rows, double laneHeight) {
    b.append("<rect x=\"")
        .append(SvgPlot.LEFT)
        .append("\" y=\"")
        .append(TOP)
        .append("\" width=\"")
        .append(SvgPlot.WIDTH - SvgPlot.LEFT - SvgPlot.RIGHT)
        .append("\" height=\"")
        .append(fmt(laneHeight))
        .append("\" fill=\"none\" stroke=\"#e3e3e3\"/>\n");
    for (Map.Entry<String, Integer> row : rows.entrySet()) {
      PanelParts.text(
          b,
          SvgPlot.LEFT - 4,
          TOP + 2 + row.getValue() * ROW + ROW - 2,
          "end",
          "sym",
          row.getKey());
    }
    for (int i = 0; i < n; i++) {
      ScoreRecord s = scores[i];
      boolean flagged = s != null && s.anomaly;
      b.append("<rect class=\"tick")
          .append(flagged ? " flagged" : "")
          .append("\" x=\"")
          .append(fmt(SvgPlot.x(i, n) - 0.6))
          .append("\" y=\"")
          .append(TOP + 2 + rows.get(timeline.symbols()[i]) * ROW + 1)
          .append("\" width=\"1.2\" height=\"")
          .append(ROW - 2)
          .append("\" fill=\"")
          .append(flagged ? color(s) : PLAIN_TICK)
          .append('"');
      if (flagged) {
        b.append("><title>")
            .append(esc(timeline.symbols()[i]))
            .append(", ")
            .append(HtmlReport.date(timeline.timestamps()[i]))
            .append(": ")
            .append(esc(verdictLabel(s.verdict == null ? ScoreRecord.EXPECTED : s.verdict)))
            .append(String.format(Locale.ROOT, ", surprise %.2f", surprise(s)))
            .append("</title></rect>\n");
      } else {
        b.append("/>\n");
      }
    }
  }

  private void surprise(StringBuilder b, double top) {
    double h = SURPRISE_HEIGHT;
    double max = 1;
    for (ScoreRecord s : scores) {
      if (s != null && Double.isFinite(surprise(s))) {
        max = Math.max(max, surprise(s));
      }
    }
    max = Math.ceil(max);
    PanelParts.warmUp(b, scores, top, h);
    PanelParts.frame(b, top, h, "surprise", fmt(max), "0");
    StringBuilder points = new StringBuilder();
    int size = SvgPlot.bucket(n);
    for (int from = 0; from < n; from += size) {
      double peak = Double.NaN;
      for (int i = from; i < Math.min(n, from + size); i++) {
        double v = scores[i] == null ? Double.NaN : surprise(scores[i]);
        peak = Double.isNaN(peak) || v > peak ? v : peak;
      }
      if (Double.isFinite(peak)) {
        points
            .append(fmt(SvgPlot.x(from, n)))
            .append(',')
            .append(fmt(SvgPlot.y(peak, top, h, 0, max)))
            .append(' ');
      }
    }
    b.append("<polyline class=\"surprise\" fill=\"none\" stroke=\"#4a4a4a\" stroke-width=\"1\"")
        .append(" points=\"")
        .append(points.toString().trim())
        .append("\"/>\n");
    for (int i = 0; i < n; i++) {
      ScoreRecord s = scores[i];
      if (s == null || !s.anomaly) {
        continue;
      }
      double v = Double.isFinite(surprise(s)) ? Math.min(max, surprise(s)) : max;
      b.append("<circle class=\"flag\" data-verdict=\"")
          .append(esc(s.verdict == null ? ScoreRecord.EXPECTED : s.verdict))
          .append("\" cx=\"")
          .append(fmt(SvgPlot.x(i, n)))
          .append("\" cy=\"")
          .append(fmt(SvgPlot.y(v, top, h, 0, max)))
          .append("\" r=\"2.6\" fill=\"")
          .append(color(s))
          .append("\"/>\n");
    }
  }

  private static double surprise(ScoreRecord s) {
    return s.surprise != null ? s.surprise : s.error;
  }
}
