package io.flinklstm.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
  private static final int WARMUP = 50;
  private static final DetectorConfig CONFIG = new DetectorConfig(WARMUP, 200, 5, 400, 0.999);
  private static final double NORMAL_ERROR = 0.1;
  private static final double NOISE = 0.02;

  private final AnomalyDetector detector = new AnomalyDetector(CONFIG);
  private final ScoreStats stats = new ScoreStats();
  private final Score score = new Score();
  private final Random random = new Random(42);

  @Test
  void ordinaryErrorsRaiseNoFlag() {
    for (int i = 0; i < 2000; i++) {
      detector.score(stats, ordinaryError(), score);
      assertThat(score.anomaly).as("event %d, likelihood %s", i, score.likelihood).isFalse();
    }
    assertThat(stats.errorMean).isCloseTo(NORMAL_ERROR, within(0.01));
    assertThat(Math.sqrt(stats.errorVar)).isCloseTo(NOISE, within(0.005));
  }

  @Test
  void aRunOfLargeErrorsIsFlaggedAndThenForgotten() {
    feedOrdinary(1000);
    boolean flagged = false;
    for (int i = 0; i < 5; i++) {
      detector.score(stats, NORMAL_ERROR + 10 * NOISE, score);
      assertThat(score.rawScore).isGreaterThan(0.99);
      flagged |= score.anomaly;
    }
    assertThat(flagged).isTrue();
    feedOrdinary(200);
    assertThat(score.anomaly).isFalse();
    assertThat(score.likelihood).isLessThan(CONFIG.threshold());
  }

  @Test
  void noFlagDuringTheWarmUp() {
    for (int i = 0; i < WARMUP; i++) {
      detector.score(stats, i % 7 == 0 ? 50.0 : ordinaryError(), score);
      assertThat(score.warmingUp).isTrue();
      assertThat(score.anomaly).isFalse();
    }
    detector.score(stats, ordinaryError(), score);
    assertThat(score.warmingUp).isFalse();
  }

  @Test
  void scoresStayInTheUnitInterval() {
    for (int i = 0; i < 500; i++) {
      detector.score(stats, random.nextDouble() < 0.05 ? 1e6 : 0.0, score);
      assertThat(score.rawScore).isBetween(0.0, 1.0);
      assertThat(score.likelihood).isBetween(0.0, 1.0);
    }
  }

  @Test
  void predictionErrorIsTheRootMeanSquare() {
    float[] predicted = {1, 2, 3, 99};
    float[] actual = {1, 0, 7, -5};
    assertThat(AnomalyDetector.predictionError(predicted, actual, 3))
        .isCloseTo(Math.sqrt((0 + 4 + 16) / 3.0), within(1e-12));
  }

  @Test
  void badConfigurationNamesTheField() {
    assertThatThrownBy(() -> new DetectorConfig(0, 100, 10, 10, 0.9))
        .hasMessageContaining("--short-window (10) must be smaller than --long-window (10)");
    assertThatThrownBy(() -> new DetectorConfig(0, 100, 10, 100, 1.0))
        .hasMessageContaining("--threshold must lie in (0, 1)");
    assertThatThrownBy(() -> new DetectorConfig(-1, 100, 10, 100, 0.9))
        .hasMessageContaining("--warmup-events must be at least 0");
  }

  private void feedOrdinary(int count) {
    for (int i = 0; i < count; i++) {
      detector.score(stats, ordinaryError(), score);
    }
  }

  private double ordinaryError() {
    return Math.max(0, NORMAL_ERROR + NOISE * random.nextGaussian());
  }
}
