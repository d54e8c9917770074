package io.flinklstm.demo;

import java.util.List;

/**
 * What the report shows of each key. The page around the panels, with the figures, the key index,
 * the legend of anomaly kinds and the footer, is {@link HtmlReport}'s and the same for every kind
 * of stream.
 */
interface ReportPanels {
  /** The keys, in the order shown. */
  List<String> keys();

  /** What the events of one key are, for the lead sentence: {@code 3 channels each}. */
  String eventsNote();

  /** Legend entries for the panels' own marks; the anomaly kinds follow. */
  void legend(StringBuilder b);

  /** One key's section. */
  void panel(String key, List<AnomalyLabel> windows, StringBuilder b);

  /** The footer's sentence about the panels' axes. */
  String axesNote();
}
