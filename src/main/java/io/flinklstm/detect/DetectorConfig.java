package io.flinklstm.detect;

/**
 * How prediction errors become anomaly flags; one configuration for every key of a job.
 *
 * @param warmupEvents events per key before any flag is raised (its statistics are still learning)
 * @param settleEvents a key's first events whose errors are left out of its statistics: a fresh
 *     recurrent state predicts poorly until it has seen some history, and those errors say nothing
 *     about the key; at most {@code warmupEvents}
 * @param errorWindow the effective memory, in events, of a key's running error mean and variance
 * @param shortWindow events averaged into the recent raw score
 * @param longWindow the effective memory, in events, of the long-run distribution of that recent
 *     mean
 * @param threshold a key is flagged when its anomaly likelihood reaches this value, in (0, 1)
 * @param quietEvents after a flag, the key's next this many events raise no flag; 0 flags every
 *     event whose likelihood reaches the threshold
 */
public record DetectorConfig(
    int warmupEvents,
    int settleEvents,
    int errorWindow,
    int shortWindow,
    int longWindow,
    double threshold,
    int quietEvents)
    implements java.io.Serializable {

  /**
   * Defaults that suit minute-level metrics: about a day of history, a ten-event recent mean, half
   * the warm-up to settle (as Numenta's likelihood spends half its probationary period learning and
   * half estimating), and no quiet period.
   */
  public static final DetectorConfig DEFAULTS = new DetectorConfig(200, 1000, 10, 2000, 0.9999);

  public DetectorConfig {
    requireAtLeast("--warmup-events", warmupEvents, 0);
    requireAtLeast("--settle-events", settleEvents, 0);
    if (settleEvents > warmupEvents) {
      throw new IllegalArgumentException(
          "--settle-events ("
              + settleEvents
              + ") must not exceed --warmup-events ("
              + warmupEvents
              + ")");
    }
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
    requireAtLeast("--quiet-events", quietEvents, 0);
  }

  /** Settles for half the warm-up, with no quiet period. */
  public DetectorConfig(
      int warmupEvents, int errorWindow, int shortWindow, int longWindow, double threshold) {
    this(
        warmupEvents,
        defaultSettleEvents(warmupEvents),
        errorWindow,
        shortWindow,
        longWindow,
        threshold,
        0);
  }

  /** Half the warm-up (rounded down), never negative. */
  public static int defaultSettleEvents(int warmupEvents) {
    return Math.max(0, warmupEvents) / 2;
  }

  /** This configuration with another quiet period. */
  public DetectorConfig withQuietEvents(int events) {
    return new DetectorConfig(
        warmupEvents, settleEvents, errorWindow, shortWindow, longWindow, threshold, events);
  }

  /** This configuration with another settling period. */
  public DetectorConfig withSettleEvents(int events) {
    return new DetectorConfig(
        warmupEvents, events, errorWindow, shortWindow, longWindow, threshold, quietEvents);
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }
}
