package io.flinklstm.demo;

import io.flinklstm.wire.ScoreRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The report's data as CSV next to the page, for a closer look elsewhere: the labels ({@code
 * anomalies.csv}: key, kind, start and end in epoch milliseconds) and the scores ({@code
 * scores.csv}: key, ts, version, likelihood, flag, then value and prediction per channel; of a
 * symbol stream the symbol, its surprise, rank and verdict instead).
 */
final class CsvExport {
  private CsvExport() {}

  static void anomalies(List<? extends AnomalyLabel> windows, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("key,kind,start_ts,end_ts\n");
      for (AnomalyLabel a : windows) {
        w.write(
            a.key()
                + ","
                + a.kind().name().toLowerCase(java.util.Locale.ROOT)
                + ","
                + a.startTs()
                + ","
                + a.endTs()
                + "\n");
      }
    }
  }

  static void scores(List<ScoreRecord> scores, int channels, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder header = new StringBuilder("key,ts,model_version,likelihood,anomaly");
      for (int c = 1; c <= channels; c++) {
        header.append(",value_").append(c);
      }
      for (int c = 1; c <= channels; c++) {
        header.append(",prediction_").append(c);
      }
      w.write(header.append('\n').toString());
      for (ScoreRecord s : sorted(scores)) {
        StringBuilder line = new StringBuilder();
        line.append(s.key)
            .append(',')
            .append(s.ts)
            .append(',')
            .append(s.modelVersion)
            .append(',')
            .append(s.likelihood)
            .append(',')
            .append(s.anomaly);
        for (int c = 0; c < channels; c++) {
          line.append(',').append(s.values == null ? "" : Float.toString(s.values[c]));
        }
        for (int c = 0; c < channels; c++) {
          line.append(',').append(s.prediction == null ? "" : Float.toString(s.prediction[c]));
        }
        w.write(line.append('\n').toString());
      }
    }
  }

  static void symbolScores(List<ScoreRecord> scores, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("key,ts,model_version,symbol,surprise,rank,verdict,likelihood,anomaly\n");
      for (ScoreRecord s : sorted(scores)) {
        w.write(
            String.join(
                    ",",
                    s.key,
                    Long.toString(s.ts),
                    Long.toString(s.modelVersion),
                    quoted(s.symbol),
                    s.surprise == null ? "" : Double.toString(s.surprise),
                    s.rank == null ? "" : Integer.toString(s.rank),
                    s.verdict == null ? "" : s.verdict,
                    Double.toString(s.likelihood),
                    Boolean.toString(s.anomaly))
                + "\n");
      }
    }
  }

  private static List<ScoreRecord> sorted(List<ScoreRecord> scores) {
    return scores.stream()
        .sorted(Comparator.comparing((ScoreRecord s) -> s.key).thenComparingLong(s -> s.ts))
        .toList();
  }

  /** A field as RFC 4180 wants it: in quotes, doubled inside, when it holds a comma or quote. */
  private static String quoted(String field) {
    if (field == null) {
      return "";
    }
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
