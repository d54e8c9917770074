package io.flinklstm.demo;

import static io.flinklstm.demo.HtmlReport.esc;

import io.flinklstm.wire.ScoreRecord;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A key's flagged events under its panel, each with what the score says about it: what raised the
 * flag, and for a numeric event the value that moved most and its share of the error, for a symbol
 * the symbols the model expected instead.
 */
final class FlaggedEvents {
  /** Rows shown per key; the rest are counted. */
  static final int MAX_ROWS = 8;

  private FlaggedEvents() {}

  static void append(StringBuilder b, Collection<ScoreRecord> scores) {
    List<ScoreRecord> flagged =
        scores.stream()
            .filter(s -> s.anomaly)
            .sorted(Comparator.comparingLong((ScoreRecord s) -> s.ts))
            .toList();
    if (flagged.isEmpty()) {
      return;
    }
    b.append("<table class=\"flags\"><tr><th>flagged</th><th>raised by</th><th>why</th></tr>\n");
    for (ScoreRecord s : flagged.subList(0, Math.min(MAX_ROWS, flagged.size()))) {
      b.append("<tr><td>")
          .append(esc(HtmlReport.date(s.ts)))
          .append("</td><td>")
          .append(s.flaggedBy == null ? "" : esc(String.join(", ", s.flaggedBy)))
          .append("</td><td>")
          .append(esc(explanation(s)))
          .append("</td></tr>\n");
    }
    if (flagged.size() > MAX_ROWS) {
      b.append("<tr><td colspan=\"3\">and ")
          .append(flagged.size() - MAX_ROWS)
          .append(" more</td></tr>\n");
    }
    b.append("</table>\n");
  }

  /**
   * {@code value 2 off by 3.1 (94% of the error)} for a numeric score, {@code "nope", expected
   * open, auth or read} for a symbol's.
   */
  static String explanation(ScoreRecord s) {
    if (s.symbol != null) {
      String expected =
          s.expected == null || s.expected.length == 0 ? "" : String.join(", ", s.expected);
      return "\"" + s.symbol + "\"" + (expected.isEmpty() ? "" : ", expected " + expected);
    }
    if (s.contributions == null || s.topChannel == null) {
      return "";
    }
    int top = s.topChannel;
    double total = 0;
    for (float c : s.contributions) {
      total += c;
    }
    String share =
        total > 0
            ? String.format(
                Locale.ROOT, " (%.0f%% of the error)", 100 * s.contributions[top] / total)
            : "";
    String off =
        s.values != null && s.prediction != null && top < s.values.length
            ? String.format(
                Locale.ROOT, " at %.4g, expected %.4g", s.values[top], s.prediction[top])
            : "";
    return "value " + (top + 1) + off + share;
  }
}
