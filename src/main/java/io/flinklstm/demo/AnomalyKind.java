package io.flinklstm.demo;

import java.util.Locale;

/** The kinds of anomaly the synthetic dataset injects, each a labelled window of one key. */
public enum AnomalyKind {
  /** A short burst of values far off the series on one channel. */
  SPIKE,
  /** One or more channels jump to another level, stay there, and come back. */
  LEVEL_SHIFT,
  /** The daily cycle of every channel runs at another speed for a while. */
  FREQUENCY_CHANGE,
  /** One channel repeats its last value, without noise: a stuck sensor. */
  STUCK_SENSOR;

  /** The name shown in reports: lower case, words separated by a space. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
