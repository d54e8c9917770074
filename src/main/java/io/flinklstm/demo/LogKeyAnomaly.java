package io.flinklstm.demo;

import java.util.Locale;

/** The kinds of anomaly {@link LogKeyWorkload} injects into a host's log-key stream. */
public enum LogKeyAnomaly implements AnomalyLabel.Kind {
  /** The first two events of a session come in swapped order (auth before open, and so on). */
  OUT_OF_ORDER("#e45756"),
  /** A session lacks a required event: the one after its opening event is dropped. */
  MISSING("#f58518"),
  /** A log key the hosts never emit otherwise appears inside a session. */
  UNKNOWN("#b279a2");

  private final String color;

  LogKeyAnomaly(String color) {
    this.color = color;
  }

  @Override
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  @Override
  public String color() {
    return color;
  }
}
