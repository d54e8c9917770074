package io.flinklstm.demo;

import static io.flinklstm.demo.HtmlReport.esc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The top of the report: headline figures, recall and delay per kind, and the run's settings. */
final class SummaryTables {
  private final DetectionMetrics m;
  private final RunSummary run;
  private final int keys;
  private final String eventsNote;

  /**
   * @param keys how many keys the run had
   * @param eventsNote what a key's events are, for the lead sentence: {@code 3 channels each}
   */
  SummaryTables(DetectionMetrics metrics, RunSummary run, int keys, String eventsNote) {
    this.m = metrics;
    this.run = run;
    this.keys = keys;
    this.eventsNote = eventsNote;
  }

  void append(StringBuilder b) {
    b.append("<p class=\"lead\">")
        .append(String.format(Locale.ROOT, "%,d", m.scoredEvents()))
        .append(" events of ")
        .append(keys)
        .append(" keys (")
        .append(esc(eventsNote))
        .append(") went through the pipeline in ")
        .append(duration(run.runTime()))
        .append("; the sidecar published ")
        .append(run.versions().size())
        .append(run.versions().size() == 1 ? " model version" : " model versions")
        .append(" and the job found ")
        .append(m.overall().found())
        .append(" of ")
        .append(m.overall().windows())
        .append(" injected anomalies.</p>\n");

    b.append("<div class=\"cards\">");
    card(b, "window-precision", percent(m.windowPrecision()), "precision (alerts)");
    card(b, "window-recall", percent(m.windowRecall()), "recall (anomalies)");
    card(b, "false-alerts", Integer.toString(m.falsePositiveRuns()), "false alerts");
    card(b, "mean-delay", number(m.overall().meanDelayEvents()), "mean delay, events");
    card(b, "event-precision", percent(m.eventPrecision()), "precision (events)");
    card(b, "event-recall", percent(m.eventRecall()), "recall (events)");
    b.append("</div>\n<div class=\"tables\">\n");

    b.append("<table class=\"kinds\"><tr><th class=\"l\">kind</th><th>injected</th><th>found</th>")
        .append("<th>recall</th><th>mean delay<br/>(events)</th><th>median delay<br/>(events)</th>")
        .append("<th>mean delay<br/>(time)</th></tr>\n");
    for (Map.Entry<AnomalyLabel.Kind, Tally> e : m.byKind().entrySet()) {
      row(b, e.getKey().name(), swatch(e.getKey()) + esc(e.getKey().label()), e.getValue());
    }
    row(b, "ALL", "<b>all</b>", m.overall());
    b.append("</table>\n");

    b.append("<table class=\"run\"><tr><th class=\"l\" colspan=\"4\">run</th></tr>\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"events", String.format(Locale.ROOT, "%,d", m.scoredEvents())});
    rows.add(new String[] {"keys", Integer.toString(keys)});
    rows.add(new String[] {"model versions", versions()});
    rows.add(new String[] {"run time", duration(run.runTime())});
    rows.add(new String[] {"threshold", Double.toString(run.threshold())});
    rows.add(new String[] {"flagged events", Long.toString(m.flaggedEvents())});
    rows.add(
        new String[] {
          "window tolerance",
          run.toleranceMillis() == 0 ? "none" : span(run.toleranceMillis()) + " after"
        });
    run.settings().forEach((k, v) -> rows.add(new String[] {k, v}));
    for (int i = 0; i < rows.size(); i += 2) {
      b.append("<tr>");
      cell(b, rows.get(i));
      if (i + 1 < rows.size()) {
        cell(b, rows.get(i + 1));
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n</div>\n");
    b.append("<p class=\"note\">An injected anomaly counts as found when a flag falls inside it")
        .append(
            run.toleranceMillis() == 0
                ? ""
                : " or up to " + span(run.toleranceMillis()) + " after it")
        .append("; a flag outside")
        .append(" every anomaly is a false alert, and a run of consecutive flags counts once.")
        .append(" Delay: first flag minus the anomaly's start. Event figures judge every event")
        .append(" on its own.</p>\n");
  }

  /**
   * The run in one line: {@code found 43 of 48 anomalies: precision 77%, recall 90%, mean delay
   * 19.4 events; 13 false alerts; 43,200 of 43,200 events scored in 0:56}.
   */
  static String headline(DetectionMetrics m, long scored, long events, Duration runTime) {
    return String.format(
        Locale.ROOT,
        "found %d of %d anomalies: precision %s, recall %s, mean delay %s events;"
            + " %d false alerts; %,d of %,d events scored in %s",
        m.overall().found(),
        m.overall().windows(),
        percent(m.windowPrecision()),
        percent(m.windowRecall()),
        number(m.overall().meanDelayEvents()),
        m.falsePositiveRuns(),
        scored,
        events,
        duration(runTime));
  }

  private String versions() {
    if (run.versions().isEmpty()) {
      return "none";
    }
    StringBuilder s = new StringBuilder();
    for (long v : run.versions()) {
      s.append(s.length() == 0 ? "" : ", ").append('v').append(v);
    }
    return s.toString();
  }

  private static void card(StringBuilder b, String id, String value, String caption) {
    b.append("<div class=\"card\" id=\"")
        .append(id)
        .append("\"><b>")
        .append(value)
        .append("</b><span>")
        .append(caption)
        .append("</span></div>");
  }

  private static void row(StringBuilder b, String id, String name, Tally t) {
    b.append("<tr data-kind=\"")
        .append(id)
        .append("\"><td class=\"l\">")
        .append(name)
        .append("</td><td>")
        .append(t.windows())
        .append("</td><td>")
        .append(t.found())
        .append("</td><td>")
        .append(percent(t.recall()))
        .append("</td><td>")
        .append(number(t.meanDelayEvents()))
        .append("</td><td>")
        .append(number(t.medianDelayEvents()))
        .append("</td><td>")
        .append(Double.isNaN(t.meanDelayMillis()) ? "–" : span(Math.round(t.meanDelayMillis())))
        .append("</td></tr>\n");
  }

  private static void cell(StringBuilder b, String[] nameValue) {
    b.append("<td class=\"l k\">")
        .append(esc(nameValue[0]))
        .append("</td><td>")
        .append(esc(nameValue[1]))
        .append("</td>");
  }

  static String swatch(AnomalyLabel.Kind kind) {
    return "<span class=\"swatch\" style=\"background:" + kind.color() + "\"></span>";
  }

  static String percent(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
  }

  static String number(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
  }

  /** A span of event time: {@code 2h 30m}, {@code 45m}, {@code 3.2s}. */
  static String span(long millis) {
    if (millis > 0 && millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long m = millis / 60_000;
    return m >= 60 ? String.format(Locale.ROOT, "%dh %02dm", m / 60, m % 60) : m + "m";
  }

  /** A wall-clock duration: {@code 2:05}. */
  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s / 60 % 60);
    }
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
