package io.flinklstm.demo;

import java.util.Objects;

/**
 * One injected anomaly: the key it affects, its kind, and the event times it spans.
 *
 * @param key the key whose series carries it
 * @param kind what was done to the series
 * @param startTs event time of its first anomalous event, epoch milliseconds
 * @param endTs event time of its last anomalous event, inclusive
 */
public record AnomalyWindow(String key, AnomalyKind kind, long startTs, long endTs)
    implements AnomalyLabel {

  public AnomalyWindow {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    if (endTs < startTs) {
      throw new IllegalArgumentException(
          "anomaly window of key '"
              + key
              + "' ends ("
              + endTs
              + ") before it starts ("
              + startTs
              + ")");
    }
  }
}
