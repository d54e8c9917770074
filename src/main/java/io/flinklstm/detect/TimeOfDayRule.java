package io.flinklstm.detect;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * The detector's time-of-day rule (see {@link AnomalyDetector}, "Time of day"): per channel, the
 * key's usual level for each hour of a weekday and of a weekend day, and Page's cumulative sums of
 * how far each value stays from the usual level of its hour. A channel whose level stays away from
 * it, in a key whose hours differ more than their values spread, is an anomaly of its own: the
 * daily peak that does not come, the night that looks like a day. Its statistics live in the key's
 * {@link ScoreStats}; this holds only the configuration. Allocation-free once a key's arrays are
 * sized.
 */
final class TimeOfDayRule {
  /** The bins: the 24 hours of a weekday (Monday to Friday), then those of a weekend day. */
  static final int BINS = 48;

  /** Values a bin has learnt before it judges. */
  static final int MIN_SAMPLES = 3;

  /** The effective memory, in values, of a bin's mean and variance. */
  static final int WINDOW = 100;

  /** How long a key's history must be before the rule judges, in milliseconds: two days. */
  static final long MIN_HISTORY_MILLIS = 2 * 86_400_000L;

  /**
   * How much of a channel's spread its hours must explain before the rule judges it: the variance
   * of the ready bins' means at least this fraction of their mean variance.
   */
  static final double MIN_STRENGTH = 0.5;

  /** The floor on a bin's deviation, as a fraction of the channel's range so far. */
  static final double RANGE_FLOOR = 0.02;

  /** A value is learnt as if at most this many deviations from its bin's mean. */
  static final double LEARN_CLIP = 4;

  private static final long DAY_MILLIS = 86_400_000L;
  private static final long HOUR_MILLIS = 3_600_000L;

  private final DetectorConfig config;
  private final ZoneRules zone;
  private final boolean utc;

  TimeOfDayRule(DetectorConfig config) {
    this.config = config;
    ZoneId id = ZoneId.of(config.timeOfDayZone());
    this.zone = id.getRules();
    this.utc = zone.isFixedOffset() && zone.getOffset(Instant.EPOCH).equals(ZoneOffset.UTC);
  }

  /**
   * Whether a channel's level has stayed away from its hour's usual level beyond the limit: a sum
   * that crosses the limit, which must come back to 0 before it can flag again (each sum is capped
   * at twice the limit), so a lasting change is one alarm. Updates the bins and, once the key has
   * two days of history, the sums; with {@code held} (warming up, or just after a flag) a sum that
   * crosses the limit flags nothing, and must come back to 0 as if it had. The range it floors
   * deviations with is the one before this event.
   */
  boolean judge(ScoreStats stats, float[] values, long ts, boolean held) {
    int channels = values.length;
    if (stats.dayCount.length != BINS || stats.dayUp.length != channels) {
      stats.dayMean = new float[BINS * channels];
      stats.dayVar = new float[BINS * channels];
      stats.dayCount = new int[BINS];
      stats.dayUp = new float[channels];
      stats.dayDown = new float[channels];
      stats.dayStart = ts;
    }
    int bin = binOf(ts);
    int count = stats.dayCount[bin];
    boolean ready = count >= MIN_SAMPLES && ts - stats.dayStart >= MIN_HISTORY_MILLIS;
    double limit = config.timeOfDayLimit() + Math.log(channels);
    double slack = config.driftSlack();
    double weight = 1.0 / Math.min(count + 1, WINDOW);
    boolean fires = false;
    for (int i = 0; i < channels; i++) {
      int at = bin * channels + i;
      double mean = stats.dayMean[at];
      double variance = stats.dayVar[at];
      double range =
          stats.rangeMax.length == channels ? (double) stats.rangeMax[i] - stats.rangeMin[i] : 0;
      double std =
          Math.max(
              Math.sqrt(variance), Math.max(AnomalyDetector.MIN_ERROR_STD, RANGE_FLOOR * range));
      double delta = values[i] - mean;
      if (ready && strength(stats, i, channels) >= MIN_STRENGTH) {
        double z = Math.max(-limit / 2, Math.min(limit / 2, delta / std));
        float up = sum(stats.dayUp[i], z - slack, limit);
        float down = sum(stats.dayDown[i], -z - slack, limit);
        fires |= !held && ((up < 0 && stats.dayUp[i] >= 0) || (down < 0 && stats.dayDown[i] >= 0));
        stats.dayUp[i] = up;
        stats.dayDown[i] = down;
      }
      double learnt =
          count < 2 ? delta : Math.max(-LEARN_CLIP * std, Math.min(LEARN_CLIP * std, delta));
      stats.dayMean[at] = (float) (mean + weight * learnt);
      stats.dayVar[at] = (float) ((1 - weight) * (variance + weight * learnt * learnt));
    }
    stats.dayCount[bin] = Math.min(Integer.MAX_VALUE - 1, count + 1);
    return fires;
  }

  /**
   * One step of a cumulative sum, capped at twice the limit. A sum that crosses the limit is
   * returned negative: it has flagged (or, held, would have), and it flags again only after it has
   * come back to 0, so a lasting change, and the noise around the limit as its sum decays, make one
   * alarm.
   */
  private static float sum(float previous, double step, double limit) {
    double next = Math.min(2 * limit, Math.max(0, Math.abs(previous) + step));
    if (next == 0) {
      return 0f;
    }
    return previous < 0 || next > limit ? (float) -next : (float) next;
  }

  /** The bin of an event time: its hour in the configured zone, on a weekday or a weekend day. */
  int binOf(long ts) {
    long local = utc ? ts : ts + 1000L * zone.getOffset(Instant.ofEpochMilli(ts)).getTotalSeconds();
    long day = Math.floorDiv(local, DAY_MILLIS);
    // 1970-01-01 was a Thursday: Monday is 0.
    int weekday = (int) Math.floorMod(day + 3, 7L);
    int hour = (int) (Math.floorMod(local, DAY_MILLIS) / HOUR_MILLIS);
    return hour + (weekday >= 5 ? BINS / 2 : 0);
  }

  /**
   * How much of the channel's spread its hours explain: the variance of the ready bins' means over
   * the mean of their variances; 0 while fewer than half the bins are ready.
   */
  private static double strength(ScoreStats stats, int channel, int channels) {
    double sum = 0;
    double sumSq = 0;
    double within = 0;
    int n = 0;
    for (int b = 0; b < BINS; b++) {
      if (stats.dayCount[b] >= MIN_SAMPLES) {
        double m = stats.dayMean[b * channels + channel];
        sum += m;
        sumSq += m * m;
        within += stats.dayVar[b * channels + channel];
        n++;
      }
    }
    if (n < BINS / 2) {
      return 0;
    }
    double mean = sum / n;
    double between = sumSq / n - mean * mean;
    return between / Math.max(within / n, 1e-12);
  }
}
