package io.flinklstm.demo;

import java.util.Locale;

/** The kinds of anomaly the synthetic dataset injects, each a labelled window of one key. */
public enum AnomalyKind implements AnomalyLabel.Kind {
  /** A short burst of values far off the series on one channel. */
  SPIKE("#e45756"),
  /** One or more channels jump to another level, stay there, and come back. */
  LEVEL_SHIFT("#f58518"),
  /** The daily cycle of every channel runs at another speed for a while. */
  FREQUENCY_CHANGE("#4c78a8"),
  /** One channel repeats its last value, without noise: a stuck sensor. */
  STUCK_SENSOR("#b279a2");

  private final String color;

  AnomalyKind(String color) {
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
