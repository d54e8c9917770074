package io.flinklstm.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Analysts' false positives: a raised threshold and muted rules, bounded and forgotten in time. */
class FalsePositiveTest {
  private static final int MEMORY = 300;
  private static final DetectorConfig CONFIG =
      DetectorConfig.builder()
          .warmupEvents(50)
          .errorWindow(200)
          .shortWindow(5)
          .longWindow(400)
          .threshold(0.999)
          .driftLimit(0)
          .feedbackRaises(2)
          .feedbackMemory(MEMORY)
          .build();
  private static final double NORMAL_ERROR = 0.1;

  private final AnomalyDetector detector = new AnomalyDetector(CONFIG);
  private final Score score = new Score();
  private final Random random = new Random(5);

  @Test
  void aFalsePositiveMutesTheRangeRuleForTheKeyUntilItsMemoryHasPassed() {
    ScoreStats stats = ordinaryKey();
    ScoreStats control = copy(stats);
    long ts = flagOutOfRange(stats, 30);
    flagOutOfRange(control, 30);

    assertThat(detector.falsePositive(stats, ts)).isTrue();
    assertThat(stats.raises).isEqualTo(1);
    assertThat(stats.mutedRules).isEqualTo(Score.RULE_RANGE);

    // Further beyond the range: the control key is flagged again, the muted one is not.
    score(control, 60);
    assertThat(score.anomaly).isTrue();
    score(stats, 60);
    assertThat(score.outOfRange).isFalse();
    assertThat(score.anomaly).isFalse();

    for (int i = 0; i < MEMORY; i++) {
      score(stats, 10 + i % 11);
    }
    score(stats, 200);
    assertThat(score.outOfRange).as("the rule speaks again after %d events", MEMORY).isTrue();
    assertThat(score.anomaly).isTrue();
  }

  @Test
  void aFalsePositiveRaisesTheThresholdSoAModerateSurpriseNoLongerFlags() {
    ScoreStats stats = ordinaryKey();
    int before = smallestFlaggedSurprise(stats);
    long ts = 99_999;
    AnomalyDetector.rememberFlag(stats, ts, Score.RULE_LIKELIHOOD);

    assertThat(detector.falsePositive(stats, ts)).isTrue();
    assertThat(stats.mutedRules).as("the likelihood is raised, not muted").isZero();
    int once = smallestFlaggedSurprise(stats);
    AnomalyDetector.rememberFlag(stats, ts + 1, Score.RULE_LIKELIHOOD);
    assertThat(detector.falsePositive(stats, ts + 1)).isTrue();
    int twice = smallestFlaggedSurprise(stats);

    assertThat(before).isPositive();
    assertThat(once).isGreaterThan(before);
    assertThat(twice).isGreaterThan(once);
  }

  @Test
  void raisesAreBoundedAndDroppedOneAtATimeAsTheKeyGoesQuiet() {
    ScoreStats stats = ordinaryKey();
    for (int i = 0; i < 4; i++) {
      AnomalyDetector.rememberFlag(stats, i, Score.RULE_LIKELIHOOD);
      assertThat(detector.falsePositive(stats, i)).isTrue();
    }
    assertThat(stats.raises).as("at most --feedback-raises").isEqualTo(2);

    for (int i = 0; i <= MEMORY; i++) {
      score(stats, 10 + i % 11);
    }
    assertThat(stats.raises).isEqualTo(1);
    for (int i = 0; i < MEMORY; i++) {
      score(stats, 10 + i % 11);
    }
    assertThat(stats.raises).isZero();
  }

  @Test
  void aVerdictOnAnEventTheKeyDidNotFlagOrOnOneAlreadyJudgedChangesNothing() {
    ScoreStats stats = ordinaryKey();
    long ts = flagOutOfRange(stats, 30);
    assertThat(detector.falsePositive(stats, ts + 1)).isFalse();
    assertThat(stats.raises).isZero();
    assertThat(detector.falsePositive(stats, ts)).isTrue();
    assertThat(detector.falsePositive(stats, ts)).as("the same event again").isFalse();
    assertThat(stats.raises).isEqualTo(1);
  }

  @Test
  void aKeyRemembersItsLastFlagsOnly() {
    ScoreStats stats = new ScoreStats();
    for (int i = 0; i < AnomalyDetector.FLAG_MEMORY + 3; i++) {
      AnomalyDetector.rememberFlag(stats, i, Score.RULE_RANGE);
    }
    assertThat(stats.flagTimes).hasSize(AnomalyDetector.FLAG_MEMORY);
    assertThat(detector.falsePositive(stats, 2)).as("forgotten").isFalse();
    assertThat(detector.falsePositive(stats, 3)).isTrue();
    assertThat(detector.falsePositive(stats, AnomalyDetector.FLAG_MEMORY + 2)).isTrue();
  }

  @Test
  void noRaisesAllowedIgnoresFalsePositives() {
    AnomalyDetector ignoring = new AnomalyDetector(CONFIG.toBuilder().feedbackRaises(0).build());
    ScoreStats stats = new ScoreStats();
    AnomalyDetector.rememberFlag(stats, 7, Score.RULE_RANGE);
    assertThat(ignoring.falsePositive(stats, 7)).isFalse();
    assertThat(stats.mutedRules).isZero();
  }

  @Test
  void theOptionsAreChecked() {
    assertThatThrownBy(() -> DetectorConfig.builder().feedbackRaises(-1).build())
        .hasMessageContaining("--feedback-raises");
    assertThatThrownBy(() -> DetectorConfig.builder().feedbackRaises(10).build())
        .hasMessageContaining("--feedback-raises must be at most 9");
    assertThatThrownBy(() -> DetectorConfig.builder().feedbackMemory(0).build())
        .hasMessageContaining("--feedback-memory");
  }

  /** A key past its warm-up with ordinary errors and values in [10, 20]. */
  private ScoreStats ordinaryKey() {
    ScoreStats stats = new ScoreStats();
    for (int i = 0; i < 600; i++) {
      score(stats, NORMAL_ERROR + 0.02 * Math.abs(random.nextGaussian()), 10 + i % 11);
    }
    return stats;
  }

  /** Scores a value beyond the key's range, which the range rule flags; returns its time. */
  private long flagOutOfRange(ScoreStats stats, float value) {
    score(stats, value);
    assertThat(score.outOfRange).isTrue();
    assertThat(score.anomaly).isTrue();
    long ts = stats.seen * 1000;
    AnomalyDetector.rememberFlag(stats, ts, score.rules());
    return ts;
  }

  /**
   * The smallest error, in tenths above the ordinary one, that a copy of the key flags by its
   * likelihood when a few events in a row carry it; the key itself is left as it was.
   */
  private int smallestFlaggedSurprise(ScoreStats stats) {
    for (int tenths = 1; tenths <= 200; tenths++) {
      ScoreStats trial = copy(stats);
      for (int i = 0; i < 3; i++) {
        score(trial, NORMAL_ERROR + tenths / 10.0 * 0.02, 15);
        if (score.likelihoodFlag) {
          return tenths;
        }
      }
    }
    throw new AssertionError("no surprise up to 20 deviations is flagged");
  }

  private void score(ScoreStats stats, float value) {
    score(stats, NORMAL_ERROR, value);
  }

  private void score(ScoreStats stats, double error, float value) {
    float[] actual = {(float) error};
    detector.score(stats, new float[1], actual, new float[] {value}, score);
  }

  private static ScoreStats copy(ScoreStats stats) {
    ScoreStats c = new ScoreStats();
    c.copyFrom(stats);
    return c;
  }
}
