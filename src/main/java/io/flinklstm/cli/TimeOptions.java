package io.flinklstm.cli;

import io.flinklstm.model.TimeFeatures;
import picocli.CommandLine.Option;

/**
 * The time inputs the numeric models a command trains take beside each event's values ({@link
 * TimeFeatures}); shared by {@code sidecar}, {@code evaluate} and {@code demo}. The job takes them
 * from each model it serves.
 */
final class TimeOptions {
  private static final TimeFeatures DEFAULTS = TimeFeatures.DEFAULT;

  @Option(
      names = "--time-features",
      paramLabel = "none|day|week|day,week",
      description =
          "Where each event falls in the day and the week, as model inputs derived from its ts:"
              + " day adds the sine and cosine of the time of day, week of the time of week"
              + " (Monday 00:00 on), so a model can tell a quiet night from an outage; none"
              + " gives the model values only (default: ${DEFAULT-VALUE}).")
  String periods = DEFAULTS.periodsText();

  @Option(
      names = "--time-zone",
      paramLabel = "ZONE",
      description =
          "The time zone whose local time the time features follow, an id such as UTC or"
              + " Europe/Paris (default: ${DEFAULT-VALUE}).")
  String zone = DEFAULTS.zoneId();

  /** The time inputs these options describe; fails naming the option when one is wrong. */
  TimeFeatures time() {
    try {
      return TimeFeatures.parse(periods, zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--time-features/--time-zone: " + e.getMessage(), e);
    }
  }
}
