package io.flinklstm.demo;

import io.flinklstm.wire.ScoreRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The report's sections of a numeric stream: a {@link KeyPanel} per key. */
final class NumericPanels implements ReportPanels {
  private final List<KeySeries> series;
  private final Map<String, Map<Long, ScoreRecord>> scores = new HashMap<>();
  private final RunSummary summary;

  NumericPanels(List<KeySeries> series, List<ScoreRecord> scores, RunSummary summary) {
    this.series = List.copyOf(series);
    for (ScoreRecord s : scores) {
      this.scores.computeIfAbsent(s.key, k -> new HashMap<>()).put(s.ts, s);
    }
    this.summary = summary;
  }

  @Override
  public List<String> keys() {
    return series.stream().map(KeySeries::key).toList();
  }

  @Override
  public String eventsNote() {
    return (series.isEmpty() ? 0 : series.get(0).channels()) + " channels each";
  }

  @Override
  public void legend(StringBuilder b) {
    b.append("<i></i>series<i class=\"pred\"></i>prediction")
        .append("<i class=\"flag\"></i>flagged<i class=\"thr\"></i>threshold");
  }

  @Override
  public void panel(String key, List<AnomalyLabel> windows, StringBuilder b) {
    for (KeySeries s : series) {
      if (s.key().equals(key)) {
        new KeyPanel(s, windows, scores.getOrDefault(key, Map.of()), summary).append(b);
      }
    }
  }

  @Override
  public String axesNote() {
    return "Likelihood axis in nines: −log10(1 − L).";
  }
}
