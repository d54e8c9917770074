package io.flinklstm.demo;

import io.flinklstm.wire.ScoreRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo of a symbol stream produced: the log-key workload, the scores read back, the
 * versions published and how long it took; and from them the detection figures and the report.
 *
 * <p>A label's window holds the anomalous events and the event after them, whose prediction they
 * disturb ({@link LogKeyLabel}); an anomaly is found when a flag falls inside it, without further
 * tolerance.
 *
 * @param workload the workload replayed
 * @param scores the committed scores read back
 * @param publishedVersions the model versions the sidecar published, oldest first
 * @param runTime wall time from the first event sent to the last score read
 * @param job the job's detector settings and policies
 * @param settings the run's settings as the report shows them, in order
 */
public record LogKeyDemoResult(
    LogKeyWorkload workload,
    List<ScoreRecord> scores,
    List<Long> publishedVersions,
    Duration runTime,
    JobSummary job,
    Map<String, String> settings) {

  /** The result of replaying {@code workload}. */
  public static LogKeyDemoResult of(
      LogKeyWorkload workload, DemoRun.Outcome outcome, Map<String, String> settings) {
    return new LogKeyDemoResult(
        workload,
        outcome.scores(),
        outcome.publishedVersions(),
        outcome.runTime(),
        outcome.job(),
        settings);
  }

  public DetectionMetrics metrics() {
    List<ScorePoint> points =
        scores.stream()
            .map(s -> new ScorePoint(s.key, s.ts, s.anomaly, s.likelihood, s.modelVersion))
            .toList();
    return DetectionMetrics.evaluate(points, workload.labels(), List.of(LogKeyAnomaly.values()), 0);
  }

  /** One line: precision, recall and delay at the window level. */
  public String headline() {
    return SummaryTables.headline(metrics(), scores.size(), workload.events().size(), runTime);
  }

  /**
   * One line about the flagged events: how many, the share inside an anomaly, and by verdict:
   * {@code 105 flagged events, 98% inside an anomaly; by verdict: not_in_top_g 60, unknown 41,
   * ...}.
   */
  public String flagLine() {
    DetectionMetrics m = metrics();
    Map<String, Long> verdicts = new TreeMap<>();
    for (ScoreRecord s : scores) {
      if (s.anomaly) {
        verdicts.merge(String.valueOf(s.verdict), 1L, Long::sum);
      }
    }
    StringBuilder by = new StringBuilder();
    verdicts.forEach((v, c) -> by.append(by.length() == 0 ? "" : ", ").append(v + " " + c));
    return String.format(
        Locale.ROOT,
        "%,d flagged events, %s inside an anomaly; by verdict: %s",
        m.flaggedEvents(),
        SummaryTables.percent(m.eventPrecision()),
        verdicts.isEmpty() ? "none" : by);
  }

  /** Writes the page to {@code file} and {@code anomalies.csv} and {@code scores.csv} beside it. */
  public void writeReport(Path file) throws IOException {
    Map<String, String> shown = new LinkedHashMap<>(settings);
    shown.put("detector", job.detector());
    shown.put("model swap / cold start", job.policies());
    RunSummary summary =
        new RunSummary(
            "flink-lstm demo report: log keys",
            runTime,
            job.threshold(),
            0,
            publishedVersions,
            shown);
    HtmlReport.ofSymbols(workload.timelines(), workload.labels(), scores, metrics(), summary)
        .write(file);
    Path dir = file.toAbsolutePath().getParent();
    CsvExport.anomalies(workload.labels(), dir.resolve("anomalies.csv"));
    CsvExport.symbolScores(scores, dir.resolve("scores.csv"));
  }
}
