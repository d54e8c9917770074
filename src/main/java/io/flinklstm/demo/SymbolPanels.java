package io.flinklstm.demo;

import static io.flinklstm.demo.HtmlReport.esc;

import io.flinklstm.wire.ScoreRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The report's sections of a symbol stream: a {@link SymbolPanel} per key. */
final class SymbolPanels implements ReportPanels {
  private final List<SymbolTimeline> timelines;
  private final Map<String, Map<Long, ScoreRecord>> scores = new HashMap<>();

  SymbolPanels(List<SymbolTimeline> timelines, List<ScoreRecord> scores) {
    this.timelines = List.copyOf(timelines);
    for (ScoreRecord s : scores) {
      this.scores.computeIfAbsent(s.key, k -> new HashMap<>()).put(s.ts, s);
    }
  }

  @Override
  public List<String> keys() {
    return timelines.stream().map(SymbolTimeline::key).toList();
  }

  @Override
  public String eventsNote() {
    return "one symbol per event";
  }

  @Override
  public void legend(StringBuilder b) {
    b.append("<i class=\"tick\"></i>symbol<i></i>surprise");
    for (Map.Entry<String, String> v : SymbolPanel.VERDICT_COLORS.entrySet()) {
      b.append("<i class=\"flag\" style=\"background:")
          .append(v.getValue())
          .append("\"></i>flagged, ")
          .append(esc(SymbolPanel.verdictLabel(v.getKey())));
    }
  }

  @Override
  public void panel(String key, List<AnomalyLabel> windows, StringBuilder b) {
    for (SymbolTimeline t : timelines) {
      if (t.key().equals(key)) {
        new SymbolPanel(t, windows, scores.getOrDefault(key, Map.of())).append(b);
      }
    }
  }

  @Override
  public String axesNote() {
    return "Events placed in arrival order; surprise is −log p(symbol) in nats.";
  }
}
