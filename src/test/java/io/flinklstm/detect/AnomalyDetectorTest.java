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
      strict.score(stats, ordinaryError(), 1, score);
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
      detector.score(stats, NORMAL_ERROR + 10 * NOISE, 1, score);
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
      detector.score(stats, i % 7 == 0 ? 50.0 : ordinaryError(), 1, score);
      assertThat(score.warmingUp).isTrue();
      assertThat(score.anomaly).isFalse();
    }
    detector.score(stats, ordinaryError(), 1, score);
    assertThat(score.warmingUp).isFalse();
  }

  @Test
  void scoresStayInTheUnitInterval() {
    for (int i = 0; i < 500; i++) {
      detector.score(stats, random.nextDouble() < 0.05 ? 1e6 : 0.0, 1, score);
      assertThat(score.rawScore).isBetween(0.0, 1.0);
      assertThat(score.likelihood).isBetween(0.0, 1.0);
    }
  }

  /**
   * Eight events through a small configuration (warm-up 2, settle 1, short window 2, threshold
   * 0.88, quiet 3), checked against values worked out by hand for the first three events and by an
   * independent double-precision transcription of the definitions ({@code
   * scripts/detector_reference.py}: math.erfc, scipy's χ² tail) for the rest.
   *
   * <p>Event 1 settles (left out). Event 2 is the first in the statistics: raw 0.5, recent mean
   * 0.5, likelihood 0.5. Event 3: the error deviation is still 0, floored at 1e-4, so raw = Φ(1e4)
   * = 1; the recent mean is (0.5 + 1) / 2 = 0.75; the recent means' measured deviation is 0, so the
   * floor applies: with a = 1/2, √((1/12) · a / (2 − a)) = 1/6, z = 0.25 · 6 = 1.5 and the recent
   * mean's tail is Q(1.5) = 0.0668. On its own, the error 2 against the mean square 1 of the key's
   * one error so far gives χ²(1) at 4, a tail of 0.0455: the smaller, so the likelihood is 0.9545,
   * flagged. Events 4 to 6 fall in the quiet period; event 7 is flagged again.
   */
  @Test
  void matchesHandComputedValues() {
    double[] tail = {
      0.5,
      0.5,
      0.04550026389635857,
      0.34278171114790873,
      0.13619084274854001,
      0.08458679016223553,
      0.11305488904723517,
      0.8248235839168224
    };
    double[] log = {
      0.030102999566398118,
      0.030102999566398118,
      0.13419860844769543,
      0.04649823575756463,
      0.08658520926983959,
      0.1072697455017624,
      0.09467106518916009,
      0.008363892990384647
    };
    checkTranscription(1, tail, log);
  }

  /** The same events as errors of three values each: the single-error test has χ²(3). */
  @Test
  void theSingleErrorTestHasADegreeOfFreedomPerValue() {
    double[] tail = {
      0.5,
      0.5,
      0.007383160505359769,
      0.4402272943602312,
      0.08350874491590085,
      0.03574342820986514,
      0.10026573799942134,
      0.9556367345715617
    };
    double[] log = {
      0.030102999566398118,
      0.030102999566398118,
      0.2131757690180492,
      0.035632303442565856,
      0.10782680434402324,
      0.14468037959482866,
      0.0998847445242823,
      0.0019707164368902427
    };
    checkTranscription(3, tail, log);
  }

  private void checkTranscription(int dimension, double[] tail, double[] log) {
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
    boolean[] flags = {false, false, true, false, false, false, true, false};
    for (int i = 0; i < errors.length; i++) {
      d.score(st, errors[i], dimension, score);
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

  /**
   * Errors that are the root mean square of three independent normal differences, as a key whose
   * model predicts as well as it can: a test that judged one error by a normal fitted to errors
   * would flag the skewed upper end of their distribution far more often than its threshold says.
   * Judged by χ²(3), the share of single errors reaching a likelihood of 0.999 stays near 1 in
   * 1,000.
   */
  @Test
  void singleErrorsAreJudgedByTheirOwnDistribution() {
    AnomalyDetector d = new AnomalyDetector(new DetectorConfig(100, 50, 5000, 10, 5000, 0.999, 0));
    ScoreStats st = new ScoreStats();
    Random r = new Random(3);
    int events = 200_000;
    int reached = 0;
    for (int i = 0; i < events; i++) {
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      double c = r.nextGaussian();
      d.score(st, 0.2 * Math.sqrt((a * a + b * b + c * c) / 3), 3, score);
      if (i >= 5000 && 1 - score.likelihood <= 1e-3) {
        reached++;
      }
    }
    double share = reached / (double) (events - 5000);
    assertThat(share).isBetween(0.5e-3, 2.5e-3);
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
      d.score(stats, 1e3, 1, score);
      assertThat(score.likelihood).isEqualTo(0.5);
    }
    assertThat(stats.errorMean).isZero();
    assertThat(stats.errorVar).isZero();
    for (int i = 0; i < 500; i++) {
      d.score(stats, ordinaryError(), 1, score);
    }
    assertThat(stats.errorMean).isCloseTo(NORMAL_ERROR, within(0.01));
    assertThat(Math.sqrt(stats.errorVar)).isCloseTo(NOISE, within(0.005));
  }

  @Test
  void aRestartSettlesAgainAndKeepsWhatWasLearnt() {
    AnomalyDetector d = new AnomalyDetector(new DetectorConfig(WARMUP, 20, 200, 5, 400, 0.999, 0));
    for (int i = 0; i < 500; i++) {
      d.score(stats, ordinaryError(), 1, score);
    }
    ScoreStats learnt = new ScoreStats();
    learnt.copyFrom(stats);
    d.restart(stats);
    for (int i = 0; i < 20; i++) {
      d.score(stats, 1e3, 1, score);
      assertThat(score.likelihood).isEqualTo(0.5);
      assertThat(score.warmingUp).isTrue();
      assertThat(score.anomaly).isFalse();
    }
    learnt.seen += 20;
    learnt.settleUntil = learnt.seen;
    assertThat(stats).usingRecursiveComparison().isEqualTo(learnt);
    d.score(stats, 1e3, 1, score);
    assertThat(score.warmingUp).isFalse();
    assertThat(score.anomaly).isTrue();
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
      d.score(st, Math.max(0, error), 1, out);
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
      detector.score(stats, ordinaryError(), 1, score);
    }
  }

  private double ordinaryError() {
    return Math.max(0, NORMAL_ERROR + NOISE * random.nextGaussian());
  }
}
