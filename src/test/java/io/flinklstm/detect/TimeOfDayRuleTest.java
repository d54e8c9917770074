package io.flinklstm.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The detector's time-of-day rule on keys with and without a daily pattern. */
class TimeOfDayRuleTest {
  private static final long MONDAY =
      LocalDateTime.of(2026, 11, 2, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
  private static final long FIVE_MINUTES = 300_000L;
  private static final long DAY = 86_400_000L;
  private static final int PER_DAY = 288;

  private final AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS);
  private final Random random = new Random(3);

  @Test
  void aDailyPeakThatDoesNotComeIsFlaggedOnceAndOrdinaryDaysAreNot() {
    ScoreStats stats = new ScoreStats();
    Score score = new Score();
    int flagsBefore = run(stats, score, 0, 14 * PER_DAY, TimeOfDayRuleTest::daily);
    assertThat(flagsBefore).as("time-of-day flags on fourteen ordinary days").isZero();
    assertThat(stats.dayCount).hasSize(TimeOfDayRule.BINS);

    // Day 15: from 10:00 to 16:00 the peak stays at the night's level, within the key's range.
    int flags =
        run(
            stats,
            score,
            14 * PER_DAY,
            15 * PER_DAY,
            ts -> hourOf(ts) >= 10 && hourOf(ts) < 16 ? 12 + noise() : daily(ts));
    assertThat(flags).as("one alarm for the missing peak").isEqualTo(1);
    int after = run(stats, score, 15 * PER_DAY, 17 * PER_DAY, TimeOfDayRuleTest::daily);
    assertThat(after).isZero();
  }

  @Test
  void aKeyWithoutADailyPatternIsNeverFlaggedByIt() {
    ScoreStats stats = new ScoreStats();
    Score score = new Score();
    int flags = run(stats, score, 0, 21 * PER_DAY, ts -> 50 + 10 * random.nextGaussian());
    assertThat(flags).isZero();
  }

  @Test
  void weekendsHaveHoursOfTheirOwn() {
    ScoreStats stats = new ScoreStats();
    Score score = new Score();
    LongToDoubleFunction weekly = ts -> weekend(ts) ? 15 + noise() : daily(ts);
    int flags = run(stats, score, 0, 28 * PER_DAY, weekly);
    // The first weekend is new to the key; from the second on, weekends are ordinary.
    int later = run(stats, score, 28 * PER_DAY, 42 * PER_DAY, weekly);
    assertThat(later).as("flags in weeks five and six").isZero();
    assertThat(flags).isLessThanOrEqualTo(1);
  }

  @Test
  void itJudgesNothingWithoutTheEventsTimeOrForAKeyOfManyValues() {
    ScoreStats stats = new ScoreStats();
    Score score = new Score();
    float[] one = {1};
    detector.score(stats, one, one, one, score);
    assertThat(stats.dayCount).isEmpty();
    ScoreStats wide = new ScoreStats();
    float[] three = {1, 2, 3};
    detector.score(wide, three, three, three, MONDAY, score);
    assertThat(wide.dayCount).as("3 values, more than --time-of-day-max-values 2").isEmpty();
    AnomalyDetector off = new AnomalyDetector(DetectorConfig.builder().timeOfDayLimit(0).build());
    off.score(wide, one, one, one, MONDAY, score);
    assertThat(wide.dayCount).isEmpty();
  }

  @Test
  void hoursAndWeekendsFollowTheConfiguredZone() {
    TimeOfDayRule utc = new TimeOfDayRule(DetectorConfig.DEFAULTS);
    TimeOfDayRule tokyo =
        new TimeOfDayRule(DetectorConfig.builder().timeOfDayZone("Asia/Tokyo").build());
    long mondayOneAm = MONDAY + 3_600_000L;
    assertThat(utc.binOf(mondayOneAm)).isEqualTo(1);
    assertThat(tokyo.binOf(mondayOneAm)).isEqualTo(10);
    long sundayTwentyThree = MONDAY - 3_600_000L;
    assertThat(utc.binOf(sundayTwentyThree)).isEqualTo(24 + 23);
    assertThat(tokyo.binOf(sundayTwentyThree)).as("Monday 08:00 in Tokyo").isEqualTo(8);
    assertThatThrownBy(() -> DetectorConfig.builder().timeOfDayZone("Mars/Olympus").build())
        .hasMessageContaining("--time-of-day-zone 'Mars/Olympus'");
    assertThatThrownBy(() -> DetectorConfig.builder().timeOfDayLimit(-1).build())
        .hasMessageContaining("--time-of-day-limit");
  }

  /**
   * Scores the key's events {@code from} to {@code to} (five minutes apart from Monday 00:00 UTC),
   * each predicted as it comes; returns how many the time-of-day rule flagged.
   */
  private int run(ScoreStats stats, Score score, int from, int to, LongToDoubleFunction value) {
    int flags = 0;
    for (int i = from; i < to; i++) {
      long ts = MONDAY + i * FIVE_MINUTES;
      float[] values = {(float) value.applyAsDouble(ts)};
      detector.score(stats, values, values, values, ts, score);
      flags += score.timeOfDay ? 1 : 0;
    }
    return flags;
  }

  /** A day of 12 at night and 80 from 09:00 to 17:00, with noise. */
  private static double daily(long ts) {
    int hour = hourOf(ts);
    return (hour >= 9 && hour < 17 ? 80 : 12) + NOISE.nextGaussian();
  }

  private double noise() {
    return random.nextGaussian();
  }

  private static final Random NOISE = new Random(9);

  private static int hourOf(long ts) {
    return (int) (Math.floorMod(ts, DAY) / 3_600_000L);
  }

  private static boolean weekend(long ts) {
    return Math.floorMod(Math.floorDiv(ts - MONDAY, DAY), 7L) >= 5;
  }
}
