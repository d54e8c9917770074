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
    // A threshold of 1 − 1e-5: a single ordinary error reaches it once in 100,000 events.
    AnomalyDetector strict =
        new AnomalyDetector(new DetectorConfig(WARMUP, 25, 200, 5, 400, 0.99999, 0));
    for (int i = 0; i < 2000; i++) {
      strict.score(stats, ordinaryError(), score);
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

  /**
   * Eight events through a small configuration (warm-up 2, settle 1, short window 2, threshold
   * 0.88, quiet 3), checked against values worked out by hand for the first three events and by an
   * independent double-precision transcription of the definitions (math.erfc) for the rest.
   *
   * <p>Event 1 settles (left out). Event 2 is the first in the statistics: raw 0.5, recent mean
   * 0.5, likelihood 0.5. Event 3: the error deviation is still 0, floored at 1e-4, so raw = Φ(1e4)
   * = 1; the recent mean is (0.5 + 1) / 2 = 0.75; the recent means' measured deviation is 0, so the
   * floor applies: with a = 1/2, √((1/12) · a / (2 − a)) = 1/6, z = 0.25 · 6 = 1.5 and the
   * likelihood is Φ(1.5) = 0.93319: flagged. Events 4 to 6 fall in the quiet period (event 6
   * reaches the threshold); event 7 is flagged again.
   */
  @Test
  void matchesHandComputedValues() {
    AnomalyDetector d = new AnomalyDetector(new DetectorConfig(2, 1, 100, 2, 100, 0.88, 3));
    ScoreStats st = new ScoreStats();
    double[] errors = {5, 1, 2, 1.5, 1.5 + 2 * Math.sqrt(1 / 6.0), 3, 3, 0.5};
    double[] raw = {
      0.5,
      0.5,
      1.0,
      0.5,
      0.9772498680518208,
      0.995225567017552,
      0.9350251038587061,
      0.012981992378918172
    };
    double[] tail = {
      0.5,
      0.5,
      0.0,
      0.5,
      0.022750131948179184,
      0.004774432982447905,
      0.06497489614129395,
      0.9556367345715617
    };
    double[] log = {
      0.030102999566398118,
      0.030102999566398118,
      1.0,
      0.030102999566398118,
      0.16430160801409374,
      0.23210781983663228,
      0.11872544060216245,
      0.0019707164368902427
    };
    boolean[] flags = {false, false, true, false, false, false, true, false};
    for (int i = 0; i < errors.length; i++) {
      d.score(st, errors[i], score);
      assertThat(score.rawScore).as("raw %d", i + 1).isCloseTo(raw[i], within(1e-6));
      assertThat(1 - score.likelihood)
          .as("tail %d", i + 1)
          .isCloseTo(tail[i], within(Math.max(1e-12, 1e-6 * tail[i])));
      assertThat(score.logLikelihood).as("log %d", i + 1).isCloseTo(log[i], within(1e-6));
      assertThat(score.anomaly).as("flag %d", i + 1).isEqualTo(flags[i]);
      assertThat(score.warmingUp).as("warming up %d", i + 1).isEqualTo(i < 2);
    }
    assertThat(st.lastFlag).isEqualTo(7);
    // The settled error 5 never entered: the mean of 1, 2, 1.5, ... is what remains.
    assertThat(st.errorMean)
        .isCloseTo((1 + 2 + 1.5 + 1.5 + 2 * Math.sqrt(1 / 6.0) + 3 + 3 + 0.5) / 7, within(1e-12));
  }

  /** The same events as surprises: the recent mean's tail alone (same transcription). */
  @Test
  void aSurpriseIsJudgedOnTheRecentMeanAlone() {
    AnomalyDetector d = new AnomalyDetector(new DetectorConfig(2, 1, 100, 2, 100, 0.88, 3));
    ScoreStats st = new ScoreStats();
    double[] surprises = {5, 1, 2, 1.5, 1.5 + 2 * Math.sqrt(1 / 6.0), 3, 3, 0.5};
    double[] tail = {
      0.5,
      0.5,
      0.06680720126885809,
      0.5,
      0.14531293988446975,
      0.08458679016223553,
      0.11305488904723517,
      0.9556367345715617
    };
    boolean[] flags = {false, false, true, false, false, false, true, false};
    for (int i = 0; i < surprises.length; i++) {
      d.scoreSurprise(st, surprises[i], score);
      assertThat(1 - score.likelihood).as("tail %d", i + 1).isCloseTo(tail[i], within(1e-6));
      assertThat(score.anomaly).as("flag %d", i + 1).isEqualTo(flags[i]);
    }
  }

  @Test
  void theLogLikelihoodKeepsValuesNearOneApart() {
    assertThat(AnomalyDetector.logLikelihood(1.0)).isZero();
    assertThat(AnomalyDetector.logLikelihood(1e-3)).isCloseTo(0.3, within(1e-12));
    assertThat(AnomalyDetector.logLikelihood(1e-5)).isCloseTo(0.5, within(1e-12));
    assertThat(AnomalyDetector.logLikelihood(1e-10)).isEqualTo(1.0);
    assertThat(AnomalyDetector.logLikelihood(1e-30)).isEqualTo(1.0);
  }

  @Test
  void errorsOfTheSettlingEventsStayOutOfTheStatistics() {
    DetectorConfig settling = new DetectorConfig(WARMUP, 20, 200, 5, 400, 0.999, 0);
    AnomalyDetector d = new AnomalyDetector(settling);
    for (int i = 0; i < 20; i++) {
      d.score(stats, 1e3, score);
      assertThat(score.likelihood).isEqualTo(0.5);
    }
    assertThat(stats.errorMean).isZero();
    assertThat(stats.errorVar).isZero();
    for (int i = 0; i < 500; i++) {
      d.score(stats, ordinaryError(), score);
    }
    assertThat(stats.errorMean).isCloseTo(NORMAL_ERROR, within(0.01));
    assertThat(Math.sqrt(stats.errorVar)).isCloseTo(NOISE, within(0.005));
  }

  @Test
  void aQuietPeriodFollowsEveryFlag() {
    int[] loud = flagTimes(CONFIG);
    int[] quiet = flagTimes(CONFIG.withQuietEvents(150));
    assertThat(loud.length).isGreaterThan(quiet.length);
    assertThat(quiet.length).isGreaterThan(1);
    for (int i = 1; i < quiet.length; i++) {
      assertThat(quiet[i] - quiet[i - 1]).isGreaterThan(150);
    }
  }

  /** When a key is flagged: bursts of five large errors every 100 events after 1,000 ordinary. */
  private static int[] flagTimes(DetectorConfig config) {
    AnomalyDetector d = new AnomalyDetector(config);
    ScoreStats st = new ScoreStats();
    Score out = new Score();
    Random r = new Random(7);
    java.util.List<Integer> times = new java.util.ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      boolean burst = i >= 1000 && (i - 1000) % 100 < 5;
      double error = NORMAL_ERROR + NOISE * r.nextGaussian() + (burst ? 10 * NOISE : 0);
      d.score(st, Math.max(0, error), out);
      if (out.anomaly) {
        times.add(i);
      }
    }
    return times.stream().mapToInt(Integer::intValue).toArray();
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
    assertThatThrownBy(() -> new DetectorConfig(10, 11, 100, 10, 100, 0.9, 0))
        .hasMessageContaining("--settle-events (11) must not exceed --warmup-events (10)");
    assertThatThrownBy(() -> new DetectorConfig(10, 5, 100, 10, 100, 0.9, -1))
        .hasMessageContaining("--quiet-events must be at least 0");
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
