package io.flinklstm.demo;

import java.time.Duration;
import java.time.Instant;

/**
 * The shape of a {@link SyntheticDataset}. Equal configurations give equal datasets.
 *
 * @param keys how many keys (series)
 * @param channels D, values per event, the same for every key, 2 to 4
 * @param eventsPerKey events in each key's series
 * @param warmupEvents the first events of every key that carry no anomaly: the time the sidecar
 *     needs to train a first model and the detector to learn each key's errors
 * @param eventsPerDay the period of the daily cycle, in events; the weekly cycle is seven of them
 * @param step the time between two events of a key
 * @param start the event time of every key's first event
 * @param anomalySpacing about how many events apart a key's anomalies are; at least four days
 * @param seed the seed every random choice derives from
 */
public record DatasetConfig(
    int keys,
    int channels,
    int eventsPerKey,
    int warmupEvents,
    int eventsPerDay,
    Duration step,
    Instant start,
    int anomalySpacing,
    long seed) {

  /**
   * Half-hourly metrics of 24 keys with 3 channels each over five weeks, one anomaly a week after
   * the first 16 clean days.
   */
  public static final DatasetConfig DEFAULTS =
      new DatasetConfig(
          24,
          3,
          1800,
          800,
          48,
          Duration.ofMinutes(30),
          Instant.parse("2026-01-05T00:00:00Z"),
          336,
          42);

  public DatasetConfig {
    atLeast("--keys", keys, 1);
    if (channels < 2 || channels > 4) {
      throw new IllegalArgumentException("--channels must lie in [2, 4], was " + channels);
    }
    atLeast("events per day", eventsPerDay, 8);
    atLeast("--warmup-events", warmupEvents, 0);
    atLeast("anomaly spacing", anomalySpacing, 4 * eventsPerDay);
    if (eventsPerKey < warmupEvents + anomalySpacing) {
      throw new IllegalArgumentException(
          "--events-per-key must be at least the warm-up ("
              + warmupEvents
              + ") plus one anomaly spacing ("
              + anomalySpacing
              + "), was "
              + eventsPerKey);
    }
    if (step == null || step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("step must be positive, was " + step);
    }
    if (start == null) {
      throw new IllegalArgumentException("start must be set");
    }
  }

  public DatasetConfig withKeys(int n) {
    return new DatasetConfig(
        n, channels, eventsPerKey, warmupEvents, eventsPerDay, step, start, anomalySpacing, seed);
  }

  public DatasetConfig withChannels(int d) {
    return new DatasetConfig(
        keys, d, eventsPerKey, warmupEvents, eventsPerDay, step, start, anomalySpacing, seed);
  }

  public DatasetConfig withEvents(int perKey, int warmup) {
    return new DatasetConfig(
        keys, channels, perKey, warmup, eventsPerDay, step, start, anomalySpacing, seed);
  }

  public DatasetConfig withSeed(long s) {
    return new DatasetConfig(
        keys, channels, eventsPerKey, warmupEvents, eventsPerDay, step, start, anomalySpacing, s);
  }

  private static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }
}
