package io.flinklstm.detect;

/**
 * How prediction errors become anomaly flags; one configuration for every key of a job.
 *
 * @param warmupEvents events per key before any flag is raised (its statistics are still learning)
 * @param errorWindow the effective memory, in events, of a key's running error mean and variance
 * @param shortWindow events averaged into the recent raw score
 * @param longWindow the effective memory, in events, of the raw scores' long-run distribution
 * @param threshold a key is flagged when its anomaly likelihood reaches this value, in (0, 1)
 */
public record DetectorConfig(
    int warmupEvents, int errorWindow, int shortWindow, int longWindow, double threshold)
    implements java.io.Serializable {

  /** Defaults that suit minute-level metrics: about a day of history, a ten-event recent mean. */
  public static final DetectorConfig DEFAULTS = new DetectorConfig(200, 1000, 10, 2000, 0.9999);

  public DetectorConfig {
    requireAtLeast("--warmup-events", warmupEvents, 0);
    requireAtLeast("--error-window", errorWindow, 2);
    requireAtLeast("--short-window", shortWindow, 1);
    requireAtLeast("--long-window", longWindow, 2);
    if (shortWindow >= longWindow) {
      throw new IllegalArgumentException(
          "--short-window ("
              + shortWindow
              + ") must be smaller than --long-window ("
              + longWindow
              + ")");
    }
    if (!(threshold > 0.0 && threshold < 1.0)) {
      throw new IllegalArgumentException("--threshold must lie in (0, 1), was " + threshold);
    }
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }
}
