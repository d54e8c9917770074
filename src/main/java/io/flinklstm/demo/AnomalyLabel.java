package io.flinklstm.demo;

/**
 * An injected anomaly as the detection metrics and the report see it: the key it affects, its kind
 * and the event times it spans. {@link AnomalyWindow} labels the numeric dataset, {@link
 * LogKeyLabel} the log-key workload.
 */
public interface AnomalyLabel {

  /** A kind of injected anomaly, as reports name and colour it. */
  interface Kind {
    /** A stable identifier: the enum constant's name. */
    String name();

    /** The name shown in reports: lower case, words separated by a space. */
    String label();

    /** The CSS colour of its shading and swatch. */
    String color();
  }

  String key();

  Kind kind();

  /** Event time of the first anomalous event, epoch milliseconds. */
  long startTs();

  /** Event time of the last event of the window, inclusive. */
  long endTs();

  /** Whether an event time lies in the window, or at most {@code toleranceMillis} after it. */
  default boolean covers(long ts, long toleranceMillis) {
    return ts >= startTs() && ts <= endTs() + toleranceMillis;
  }
}
