package io.flinklstm.demo;

import static io.flinklstm.demo.HtmlReport.esc;
import static io.flinklstm.demo.SvgPlot.fmt;

import io.flinklstm.wire.ScoreRecord;
import java.util.Arrays;
import java.util.List;

/**
 * The parts every key's timeline in the report shares, whatever its events carry: the injected
 * anomalies shaded by kind, a mark wherever the model version changes, the frame and labels of a
 * lane, and the time axis. Events are placed by index, {@code timestamps[i]} being event i's time.
 */
final class PanelParts {
  private PanelParts() {}

  /** The index of the last event at or before {@code ts}, within [0, n − 1]. */
  static int index(long[] timestamps, long ts) {
    int i = Arrays.binarySearch(timestamps, ts);
    int at = i >= 0 ? i : -i - 2;
    return Math.max(0, Math.min(timestamps.length - 1, at));
  }

  /** Each anomaly as a band of its kind's colour from the top down to {@code bottom}. */
  static void shadeWindows(
      StringBuilder b, List<? extends AnomalyLabel> windows, long[] timestamps, double bottom) {
    int n = timestamps.length;
    for (AnomalyLabel w : windows) {
      int first = index(timestamps, w.startTs());
      int last = index(timestamps, w.endTs());
      double x0 = SvgPlot.x(first, n) - 1.5;
      double width = Math.max(3, SvgPlot.x(last, n) - SvgPlot.x(first, n) + 3);
      String color = w.kind().color();
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

  /**
   * A dashed line and the version wherever the version of the scored events changes (the first
   * scored event included).
   *
   * @param scores event i's score at index i; null where it has none
   */
  static void versionMarks(StringBuilder b, ScoreRecord[] scores, double bottom) {
    int n = scores.length;
    long previous = -1;
    for (int i = 0; i < n; i++) {
      ScoreRecord s = scores[i];
      if (s == null || !ScoreRecord.SCORED.equals(s.status) || s.modelVersion == previous) {
        continue;
      }
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

  /** Shades the leading events the detector scored while still warming up: no flags there. */
  static void warmUp(StringBuilder b, ScoreRecord[] scores, double top, double h) {
    int last = -1;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] != null && scores[i].warmingUp) {
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
        .append(fmt(SvgPlot.x(last, scores.length) - SvgPlot.LEFT))
        .append("\" height=\"")
        .append(fmt(h))
        .append("\" fill=\"#ececec\"/>\n");
    text(b, SvgPlot.LEFT + 4, top + 11, "start", null, "detector warm-up");
  }

  /** A lane's frame, its name on the left, and the labels of its top and bottom. */
  static void frame(StringBuilder b, double top, double h, String name, String hi, String lo) {
    b.append("<rect x=\"")
        .append(SvgPlot.LEFT)
        .append("\" y=\"")
        .append(fmt(top))
        .append("\" width=\"")
        .append(SvgPlot.WIDTH - SvgPlot.LEFT - SvgPlot.RIGHT)
        .append("\" height=\"")
        .append(fmt(h))
        .append("\" fill=\"none\" stroke=\"#e3e3e3\"/>\n");
    text(b, SvgPlot.LEFT - 4, top + 10, "end", null, hi);
    text(b, SvgPlot.LEFT - 4, top + h - 2, "end", null, lo);
    text(b, SvgPlot.LEFT - 4, top + h / 2 + 4, "end", "label", name);
  }

  /** Five dates along the bottom, at the first event, the last, and evenly between. */
  static void timeAxis(StringBuilder b, long[] timestamps, double y) {
    int n = timestamps.length;
    for (int t = 0; t <= 4; t++) {
      int i = (int) Math.round((n - 1) * t / 4.0);
      text(
          b,
          SvgPlot.x(i, n),
          y,
          t == 0 ? "start" : t == 4 ? "end" : "middle",
          null,
          HtmlReport.date(timestamps[i]));
    }
  }

  /** Opens the panel's SVG element. */
  static void openSvg(StringBuilder b, int height) {
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(SvgPlot.WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(SvgPlot.WIDTH)
        .append(' ')
        .append(height)
        .append("\" role=\"img\">\n");
  }

  /**
   * A text element; {@code content} is escaped.
   *
   * @param cssClass its class, or null
   */
  static void text(
      StringBuilder b, double x, double y, String anchor, String cssClass, String content) {
    b.append("<text x=\"")
        .append(fmt(x))
        .append("\" y=\"")
        .append(fmt(y))
        .append("\" text-anchor=\"")
        .append(anchor)
        .append('"');
    if (cssClass != null) {
      b.append(" class=\"").append(cssClass).append('"');
    }
    b.append('>').append(esc(content)).append("</text>\n");
  }
}
