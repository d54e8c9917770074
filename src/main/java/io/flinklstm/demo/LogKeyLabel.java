package io.flinklstm.demo;

/**
 * One injected anomaly of {@link LogKeyWorkload}: on host {@code key}, the events with timestamps
 * in [{@code startTs}, {@code endTs}] are the anomalous ones plus the next event after them, whose
 * prediction the anomaly disturbs (a detector that flags that event has found this anomaly).
 *
 * @param key the host
 * @param startTs the first anomalous event's timestamp, epoch milliseconds
 * @param endTs the last event of the window, inclusive
 * @param kind what was injected
 */
public record LogKeyLabel(String key, long startTs, long endTs, LogKeyAnomaly kind)
    implements AnomalyLabel {

  public LogKeyLabel {
    if (endTs < startTs) {
      throw new IllegalArgumentException(
          "a label ends (" + endTs + ") before it starts " + startTs);
    }
  }

  /** Whether an event of {@code eventKey} at {@code ts} lies in this window. */
  public boolean covers(String eventKey, long ts) {
    return key.equals(eventKey) && ts >= startTs && ts <= endTs;
  }
}
