package io.flinklstm.demo;

import io.flinklstm.wire.ScoreRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link DemoRun} produced: the dataset, the scores read back, the versions published and
 * how long it took; and from them the detection figures and the report.
 *
 * @param data the dataset replayed
 * @param scores the committed scores read back
 * @param publishedVersions the model versions the sidecar published, oldest first
 * @param runTime wall time from the first event sent to the last score read
 * @param job the job's detector settings and policies
 * @param settings the run's settings
 */
public record DemoResult(
    SyntheticDataset data,
    List<ScoreRecord> scores,
    List<Long> publishedVersions,
    Duration runTime,
    JobSummary job,
    DemoSettings settings) {

  public DetectionMetrics metrics() {
    List<ScorePoint> points = new ArrayList<>(scores.size());
    for (ScoreRecord s : scores) {
      points.add(new ScorePoint(s.key, s.ts, s.anomaly, s.likelihood, s.modelVersion));
    }
    return DetectionMetrics.evaluate(points, data.anomalies(), settings.toleranceMillis());
  }

  /** The result of replaying {@code data} with {@code settings}. */
  public static DemoResult of(
      SyntheticDataset data, DemoRun.Outcome outcome, DemoSettings settings) {
    return new DemoResult(
        data,
        outcome.scores(),
        outcome.publishedVersions(),
        outcome.runTime(),
        outcome.job(),
        settings);
  }

  /** One line: precision, recall and delay at the window level. */
  public String headline() {
    return SummaryTables.headline(metrics(), scores.size(), data.events(), runTime);
  }

  public void writeReport(Path file) throws IOException {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("channels per event", Integer.toString(data.config().channels()));
    shown.put("events per key", Integer.toString(data.config().eventsPerKey()));
    shown.put("clean warm-up per key", data.config().warmupEvents() + " events");
    shown.put("seed", Long.toString(data.config().seed()));
    shown.put(
        "replay rate",
        settings.rate() == 0
            ? "as fast as possible"
            : String.format(Locale.ROOT, "%.0f events/s", settings.rate()));
    shown.put("LSTM hidden size", Integer.toString(settings.hiddenSize()));
    shown.put("steps per training round", Integer.toString(settings.stepsPerRound()));
    shown.put("detector", job.detector());
    shown.put("model swap / cold start", job.policies());
    RunSummary summary =
        new RunSummary(
            "flink-lstm demo report",
            runTime,
            job.threshold(),
            settings.toleranceMillis(),
            publishedVersions,
            shown);
    new HtmlReport(data.series(), data.anomalies(), scores, metrics(), summary).write(file);
    Path dir = file.toAbsolutePath().getParent();
    CsvExport.anomalies(data.anomalies(), dir.resolve("anomalies.csv"));
    CsvExport.scores(scores, data.config().channels(), dir.resolve("scores.csv"));
  }
}
