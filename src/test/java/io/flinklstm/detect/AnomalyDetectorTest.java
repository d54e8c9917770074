package io.flinklstm.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
  private static final int WARMUP = 50;
  private static final DetectorConfig CONFIG =
      DetectorConfig.builder()
          .warmupEvents(WARMUP)
          .errorWindow(200)
          .shortWindow(5)
          .longWindow(400)
          .threshold(0.999)
          .build();
  private static final double NORMAL_ERROR = 0.1;
  private static final double NOISE = 0.02;

  /** The small configuration of {@code scripts/detector_reference.py}, range rule off. */
  private static final DetectorConfig SMALL =
      DetectorConfig.builder()
          .warmupEvents(2)
          .settleEvents(1)
          .errorWindow(100)
          .rawScoreZ(2)
          .shortWindow(2)
          .longWindow(100)
          .threshold(0.9)
          .rangeTolerance(-1)
          .build();

  private static final double[] SMALL_ERRORS = {5, 1, 2, 2, 3, 3, 3, 0.5, 1, 4};

  private final AnomalyDetector detector = new AnomalyDetector(CONFIG);
  private final ScoreStats stats = new ScoreStats();
  private final Score score = new Score();
  private final Random random = new Random(42);
  private long step;

  /**
   * Errors of a key whose model predicts as well as it can (the absolute value of a normal
   * difference): the likelihood fits a normal to the recent means of clipped raw scores, whose
   * upper tail is heavier, so ordinary errors reach the threshold more often than its nominal rate;
   * at the defaults fewer than one event in a thousand is flagged, and fewer still at a stricter
   * threshold.
   */
  @Test
  void ordinaryErrorsRarelyRaiseAFlag() {
    double lenient = flagRate(DetectorConfig.DEFAULTS);
    double strict = flagRate(DetectorConfig.builder().threshold(0.99999).build());
    assertThat(lenient).isLessThan(1e-3);
    assertThat(strict).isLessThan(lenient / 2);
  }

  private static double flagRate(DetectorConfig config) {
    AnomalyDetector d = new AnomalyDetector(config);
    ScoreStats st = new ScoreStats();
    Score out = new Score();
    Random r = new Random(11);
    int events = 100_000;
    int flags = 0;
    for (int i = 0; i < events; i++) {
      score(d, st, Math.abs(r.nextGaussian()), new float[] {i % 10}, out);
      flags += out.anomaly ? 1 : 0;
    }
    return flags / (double) events;
  }

  @Test
  void aRunOfLargeErrorsRaisesOneFlagAndIsThenForgotten() {
    feedOrdinary(1000);
    int flags = 0;
    for (int i = 0; i < 5; i++) {
      score(detector, stats, NORMAL_ERROR + 10 * NOISE, ordinaryValues(), score);
      assertThat(score.rawScore).isEqualTo(1.0);
      flags += score.anomaly ? 1 : 0;
      if (score.anomaly) {
        assertThat(score.flaggedBy()).containsExactly(Score.BY_LIKELIHOOD);
      } else {
        assertThat(score.flaggedBy()).isNull();
      }
    }
    assertThat(flags).isEqualTo(1);
    feedOrdinary(200);
    assertThat(score.anomaly).isFalse();
    assertThat(score.likelihood).isLessThan(CONFIG.threshold());
  }

  @Test
  void withoutTheEdgeTriggerEveryEventOfTheRunIsFlagged() {
    AnomalyDetector everyEvent = new AnomalyDetector(CONFIG.toBuilder().edgeTrigger(false).build());
    for (int i = 0; i < 1000; i++) {
      score(everyEvent, stats, ordinaryError(), ordinaryValues(), score);
    }
    int flags = 0;
    int red = 0;
    for (int i = 0; i < 5; i++) {
      score(everyEvent, stats, NORMAL_ERROR + 10 * NOISE, ordinaryValues(), score);
      flags += score.anomaly ? 1 : 0;
      red += score.likelihood >= CONFIG.threshold() ? 1 : 0;
    }
    assertThat(red).isGreaterThan(2);
    assertThat(flags).isEqualTo(red);
  }

  @Test
  void noFlagDuringTheWarmUp() {
    for (int i = 0; i < WARMUP; i++) {
      score(detector, stats, i % 7 == 0 ? 50.0 : ordinaryError(), new float[] {i * i}, score);
      assertThat(score.warmingUp).isTrue();
      assertThat(score.anomaly).isFalse();
      assertThat(score.confidence).isZero();
    }
    score(detector, stats, ordinaryError(), ordinaryValues(), score);
    assertThat(score.warmingUp).isFalse();
  }

  @Test
  void scoresStayInTheUnitInterval() {
    for (int i = 0; i < 500; i++) {
      // The largest residual floats can make: a prediction and a value at opposite extremes.
      float extreme = random.nextDouble() < 0.05 ? Float.MAX_VALUE : 0;
      detector.score(
          stats,
          new float[] {-extreme},
          new float[] {extreme},
          new float[] {random.nextFloat() * 1e30f},
          score);
      assertThat(score.rawScore).isBetween(0.0, 1.0);
      assertThat(score.likelihood).isBetween(0.0, 1.0);
      assertThat(score.logLikelihood).isBetween(0.0, 1.0);
      assertThat(score.confidence).isBetween(0.0, 1.0);
      for (int c = 0; c < stats.residualMean.length; c++) {
        assertThat(stats.residualMean[c]).isFinite();
        assertThat(stats.residualVar[c]).isFinite();
      }
    }
  }

  /**
   * Ten events through a small configuration (warm-up 2, settle 1, raw score 1 at z = 2, short
   * window 2, threshold 0.9, edge trigger), checked against values worked out by hand for the first
   * four events and by an independent double-precision transcription of the definitions ({@code
   * scripts/detector_reference.py}) for the rest.
   *
   * <p>Event 1 settles. Event 2 is the first in the statistics: z = 0, raw 0, tail 0.5. Event 3:
   * the error deviation is still 0, floored at 1e-4, so z = 10⁴ and raw = 1; the recent mean is (0
   * + 1) / 2 = 0.5, against the floors (mean 0.03, variance 3e-4) z = 27.1: red, flagged,
   * confidence 1. The long-run mean of recent means becomes 0.25 with variance 0.0625, the error
   * mean 1.5 with variance 0.25. Event 4: error 2 is z = 1, raw 0.5; recent mean 0.75, tail Q(2) =
   * 0.02275: red again, so under the edge trigger it continues the run: not flagged, reported at
   * √0.1, a confidence of log(√0.1) / log(10⁻¹⁰) = 0.05.
   */
  @Test
  void matchesHandComputedValues() {
    double[] raw = {0, 0, 1, 0.5, 1, 0.7071067811865475, 0.5345224838248487, 0, 0, 1};
    double[] tail = {
      0.5,
      0.5,
      1.8794607631169774e-162,
      0.02275013194817922,
      0.14252470370130632,
      0.12410653949496184,
      0.43543295597461773,
      0.8655792400373543,
      0.970560456976145,
      0.4595881440736559
    };
    double[] confidence = {
      0,
      0,
      1,
      0.05,
      0.08461098531901445,
      0.0906205333797404,
      0.036107870424237444,
      0.0062693168186372834,
      0.001297740688730534,
      0.033763118326878734
    };
    boolean[] flags = {false, false, true, false, false, false, false, false, false, false};
    AnomalyDetector d = new AnomalyDetector(SMALL);
    ScoreStats st = new ScoreStats();
    for (int i = 0; i < SMALL_ERRORS.length; i++) {
      score(d, st, SMALL_ERRORS[i], new float[] {i}, score);
      assertThat(score.rawScore).as("raw %d", i + 1).isCloseTo(raw[i], within(1e-9));
      assertThat(1 - score.likelihood)
          .as("tail %d", i + 1)
          .isCloseTo(tail[i], within(Math.max(1e-12, 1e-6 * tail[i])));
      assertThat(score.confidence)
          .as("confidence %d", i + 1)
          .isCloseTo(confidence[i], within(1e-6));
      assertThat(score.anomaly).as("flag %d", i + 1).isEqualTo(flags[i]);
      assertThat(score.warmingUp).as("warming up %d", i + 1).isEqualTo(i < 2);
    }
    assertThat(st.lastFlag).isEqualTo(3);
    // The settled error 5 never entered: the mean of the other nine is what remains.
    assertThat(st.errorMean).isCloseTo((1 + 2 + 2 + 3 + 3 + 3 + 0.5 + 1 + 4) / 9.0, within(1e-12));
  }

  /** The same events without the edge trigger: event 4 is flagged too (same transcription). */
  @Test
  void withoutTheEdgeTriggerARunIsFlaggedThroughout() {
    AnomalyDetector d = new AnomalyDetector(SMALL.toBuilder().edgeTrigger(false).build());
    ScoreStats st = new ScoreStats();
    for (int i = 0; i < 4; i++) {
      score(d, st, SMALL_ERRORS[i], new float[] {i}, score);
    }
    assertThat(score.anomaly).isTrue();
    assertThat(score.confidence).isCloseTo(0.16430160801409366, within(1e-6));
  }

  /**
   * The same errors as surprises, with a quiet period of 2 (same transcription). A surprise's raw
   * score is Φ(z), uniform for an ordinary key, judged with the variance floor of a moving average
   * of uniform scores, 1 / (12 · 2): a single surprising symbol (event 3, raw 1) is left to its
   * verdict, a second in a row (event 4) is flagged, and events 5 and 6 report 0 in the quiet
   * period.
   */
  @Test
  void aSurpriseIsJudgedOnTheRecentMeanAloneAndAQuietPeriodSilencesIt() {
    AnomalyDetector d = new AnomalyDetector(SMALL.toBuilder().quietEvents(2).build());
    ScoreStats st = new ScoreStats();
    double[] raw = {0, 0.5, 1, 0.8413447460685429, 0.9976611325094764, 0.9213503964748574};
    double[] confidence = {
      0, 0, 0.09572840203056333, 0.11322990663975742, 0, 0, 0.04577884878333012
    };
    for (int i = 0; i < confidence.length; i++) {
      d.scoreSurprise(st, SMALL_ERRORS[i], score);
      if (i < raw.length) {
        assertThat(score.rawScore).as("raw %d", i + 1).isCloseTo(raw[i], within(1e-7));
      }
      assertThat(score.confidence)
          .as("confidence %d", i + 1)
          .isCloseTo(confidence[i], within(1e-6));
      assertThat(score.anomaly).as("flag %d", i + 1).isEqualTo(i == 3);
    }
  }

  @Test
  void aValueBeyondTheKeysRangeIsFlaggedWhateverTheError() {
    for (int i = 0; i < 300; i++) {
      score(detector, stats, NORMAL_ERROR, new float[] {10 + i % 11}, score);
    }
    assertThat(stats.rangeMin).containsExactly(10f);
    assertThat(stats.rangeMax).containsExactly(20f);
    // Within 5% of the range (0.5) beyond the maximum: not out of range.
    score(detector, stats, NORMAL_ERROR, new float[] {20.4f}, score);
    assertThat(score.outOfRange).isFalse();
    assertThat(score.anomaly).isFalse();
    // 0.6 below the minimum, more than 5% of the range (now 10.4).
    score(detector, stats, NORMAL_ERROR, new float[] {9.4f}, score);
    assertThat(score.outOfRange).isTrue();
    assertThat(score.anomaly).isTrue();
    assertThat(score.flaggedBy()).containsExactly(Score.BY_RANGE);
    assertThat(score.confidence).isEqualTo(1.0);
    assertThat(stats.rangeMin).containsExactly(9.4f);
  }

  @Test
  void theRangeToleranceGrowsWithTheLogOfTheNumberOfValues() {
    // Eight channels: 5% × (1 + ln 8) = 15.4% of each channel's range.
    for (int i = 0; i < 300; i++) {
      float v = i % 11;
      score(detector, stats, NORMAL_ERROR, new float[] {v, v, v, v, v, v, v, v}, score);
    }
    score(detector, stats, NORMAL_ERROR, new float[] {0, 0, 0, 11.5f, 0, 0, 0, 0}, score);
    assertThat(score.outOfRange).isFalse();
    score(detector, stats, NORMAL_ERROR, new float[] {0, 0, 0, 0, 0, 0, 13.2f, 0}, score);
    assertThat(score.outOfRange).isTrue();
    assertThat(score.anomaly).isTrue();
  }

  /**
   * A channel that has changed every event and then repeats its value is flagged once, when it has
   * repeated for more than ten events; one whose values naturally repeat for up to eight events
   * needs more than sixteen.
   */
  @Test
  void aStuckChannelIsFlaggedOnceItRepeatsLongerThanEverBefore() {
    for (int i = 0; i < 300; i++) {
      score(detector, stats, NORMAL_ERROR, new float[] {i % 10, (i / 8) % 10}, score);
    }
    assertThat(stats.longestRepeats).containsExactly(0, 7);
    int flags = 0;
    for (int i = 0; i < 30; i++) {
      score(detector, stats, NORMAL_ERROR, new float[] {5, 3}, score);
      if (score.anomaly) {
        flags++;
        assertThat(score.stuck).isTrue();
        assertThat(score.flaggedBy()).containsExactly(Score.BY_STUCK);
        assertThat(score.confidence).isEqualTo(1.0);
        // The first channel's eleventh repeat (its twelfth equal value), then the second's
        // fifteenth.
        assertThat(i).isIn(11, 15);
      }
    }
    assertThat(flags).isEqualTo(2);
    AnomalyDetector off = new AnomalyDetector(CONFIG.toBuilder().stuckRun(0).build());
    ScoreStats st = new ScoreStats();
    for (int i = 0; i < 300; i++) {
      score(off, st, NORMAL_ERROR, new float[] {i < 200 ? i % 10 : 5}, score);
      assertThat(score.stuck).isFalse();
    }
  }

  @Test
  void theRangeRuleCanBeTurnedOff() {
    AnomalyDetector noRange = new AnomalyDetector(CONFIG.toBuilder().rangeTolerance(-1).build());
    for (int i = 0; i < 300; i++) {
      score(noRange, stats, NORMAL_ERROR, new float[] {i % 11}, score);
    }
    score(noRange, stats, NORMAL_ERROR, new float[] {1e6f}, score);
    assertThat(score.outOfRange).isFalse();
    assertThat(score.anomaly).isFalse();
  }

  @Test
  void aKeyWhoseValuesNeverChangedIsNotFlaggedByItsErrors() {
    for (int i = 0; i < 900; i++) {
      score(detector, stats, 0.0, new float[] {42}, score);
    }
    // Ten thousand times the floor of the error deviation: raw score 1, but the key is flat.
    score(detector, stats, 1.0, new float[] {42}, score);
    assertThat(score.rawScore).isEqualTo(1.0);
    assertThat(score.likelihood).isEqualTo(0.5);
    assertThat(score.anomaly).isFalse();
    // Its first change is judged: a large error on it is flagged.
    for (int i = 0; i < 20; i++) {
      score(detector, stats, 0.0, new float[] {42}, score);
    }
    score(detector, stats, 5.0, new float[] {43}, score);
    assertThat(score.anomaly).isTrue();
    assertThat(score.outOfRange).isFalse();
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
    AnomalyDetector d = new AnomalyDetector(CONFIG.toBuilder().settleEvents(20).build());
    for (int i = 0; i < 20; i++) {
      score(d, stats, 1e3, ordinaryValues(), score);
      assertThat(score.likelihood).isEqualTo(0.5);
    }
    assertThat(stats.errorMean).isZero();
    assertThat(stats.errorVar).isZero();
    for (int i = 0; i < 500; i++) {
      score(d, stats, ordinaryError(), ordinaryValues(), score);
    }
    assertThat(stats.errorMean).isCloseTo(NORMAL_ERROR, within(0.01));
    assertThat(Math.sqrt(stats.errorVar)).isCloseTo(NOISE, within(0.005));
  }

  @Test
  void aRestartSettlesAgainAndKeepsWhatWasLearnt() {
    AnomalyDetector d = new AnomalyDetector(CONFIG.toBuilder().settleEvents(20).build());
    for (int i = 0; i < 500; i++) {
      score(d, stats, ordinaryError(), ordinaryValues(), score);
    }
    ScoreStats learnt = new ScoreStats();
    learnt.copyFrom(stats);
    d.restart(stats);
    float[] inRange = {stats.rangeMin[0]};
    for (int i = 0; i < 20; i++) {
      score(d, stats, 1e3, inRange, score);
      assertThat(score.likelihood).isEqualTo(0.5);
      assertThat(score.warmingUp).isTrue();
      assertThat(score.anomaly).isFalse();
    }
    learnt.seen += 20;
    learnt.settleUntil = learnt.seen;
    // Only the drift sums start again.
    Arrays.fill(learnt.driftUp, 0);
    Arrays.fill(learnt.driftDown, 0);
    assertThat(stats)
        .usingRecursiveComparison()
        .ignoringFields("lastValues", "repeats", "longestRepeats")
        .isEqualTo(learnt);
    score(d, stats, 1e3, inRange, score);
    assertThat(score.warmingUp).isFalse();
    assertThat(score.anomaly).isTrue();
  }

  @Test
  void aQuietPeriodFollowsEveryFlag() {
    int[] loud = flagTimes(CONFIG);
    int[] quiet = flagTimes(CONFIG.toBuilder().quietEvents(150).build());
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
      score(d, st, Math.max(0, error), new float[] {i % 5}, out);
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
    assertThatThrownBy(() -> DetectorConfig.builder().shortWindow(10).longWindow(10).build())
        .hasMessageContaining("--short-window (10) must be smaller than --long-window (10)");
    assertThatThrownBy(() -> DetectorConfig.builder().threshold(1.0).build())
        .hasMessageContaining("--threshold must lie in (0, 1)");
    assertThatThrownBy(() -> DetectorConfig.builder().warmupEvents(-1).build())
        .hasMessageContaining("--warmup-events must be at least 0");
    assertThatThrownBy(() -> DetectorConfig.builder().warmupEvents(10).settleEvents(11).build())
        .hasMessageContaining("--settle-events (11) must not exceed --warmup-events (10)");
    assertThatThrownBy(() -> DetectorConfig.builder().quietEvents(-1).build())
        .hasMessageContaining("--quiet-events must be at least 0");
    assertThatThrownBy(() -> DetectorConfig.builder().rawScoreZ(0).build())
        .hasMessageContaining("--raw-score-z must be positive");
    assertThatThrownBy(() -> DetectorConfig.builder().rangeTolerance(Double.NaN).build())
        .hasMessageContaining("--range-tolerance must be finite");
    assertThatThrownBy(() -> DetectorConfig.builder().driftLimit(-1).build())
        .hasMessageContaining("--drift-limit must be finite and at least 0");
    assertThatThrownBy(() -> DetectorConfig.builder().driftSlack(Double.NaN).build())
        .hasMessageContaining("--drift-slack must be finite and at least 0");
    assertThatThrownBy(() -> DetectorConfig.builder().driftWindow(1).build())
        .hasMessageContaining("--drift-window must be at least 2");
    assertThatThrownBy(() -> DetectorConfig.builder().driftHold(-1).build())
        .hasMessageContaining("--drift-hold must be at least 0");
    assertThatThrownBy(() -> DetectorConfig.builder().stuckRun(-1).build())
        .hasMessageContaining("--stuck-run must be at least 0");
  }

  /**
   * The drift rule, worked by hand: residual statistics of mean 0 and deviation 1 over a memory so
   * long that they barely move, a limit of 2.8 and a slack of 0.5 on one channel. A residual of +1
   * adds about 1 − 0.5 to the upward sum each event (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, each a little
   * less as the mean creeps towards the residuals and their lag-one correlation widens the
   * deviation): the sixth event passes 2.8 and is flagged, and the sums start again from 0. The
   * errors stay at their mean and the values inside their range, so nothing else could flag it.
   */
  @Test
  void residualsThatDriftToOneSideAreFlaggedWhenTheirSumPassesTheLimit() {
    AnomalyDetector d = new AnomalyDetector(DRIFT);
    ScoreStats st = driftReady(1);
    Score out = new Score();
    double[] expected = {0.5, 0.999, 1.496, 1.991, 2.484};
    for (double sum : expected) {
      d.score(st, new float[] {0}, new float[] {1}, new float[] {5}, out);
      assertThat(out.anomaly).isFalse();
      assertThat(st.driftUp[0]).isCloseTo((float) sum, within(1e-3f));
      assertThat(st.driftDown[0]).isZero();
    }
    d.score(st, new float[] {0}, new float[] {1}, new float[] {5}, out);
    assertThat(out.anomaly).isTrue();
    assertThat(out.flaggedBy()).contains(Score.BY_DRIFT);
    assertThat(out.drift).isTrue();
    assertThat(out.confidence).isEqualTo(1.0);
    assertThat(out.outOfRange || out.stuck).isFalse();
    assertThat(st.driftUp[0]).isZero();
  }

  @Test
  void aDownwardDriftIsFlaggedLikeAnUpwardOne() {
    AnomalyDetector d = new AnomalyDetector(DRIFT);
    ScoreStats st = driftReady(1);
    Score out = new Score();
    int flaggedAt = 0;
    for (int i = 1; i <= 6 && flaggedAt == 0; i++) {
      d.score(st, new float[] {0}, new float[] {-1}, new float[] {5}, out);
      flaggedAt = out.drift ? i : 0;
    }
    assertThat(flaggedAt).isEqualTo(6);
  }

  /**
   * However far one residual is off, it adds at most half the limit (here 1.4, less the slack 0.5):
   * a lone spike is the likelihood's to judge, not a drift.
   */
  @Test
  void aLoneSpikeIsNoDrift() {
    AnomalyDetector d = new AnomalyDetector(DRIFT);
    ScoreStats st = driftReady(1);
    Score out = new Score();
    d.score(st, new float[] {0}, new float[] {1000}, new float[] {5}, out);
    assertThat(out.drift).isFalse();
    assertThat(st.driftUp[0]).isCloseTo(0.9f, within(1e-6f));
  }

  /**
   * With D channels the limit is h + ln D: here 2.8 + ln 8 ≈ 4.88, which one drifting channel of
   * eight passes on its tenth event (sums of about 0.5 per event) rather than its sixth.
   */
  @Test
  void aKeyOfManyChannelsNeedsALongerDrift() {
    AnomalyDetector d = new AnomalyDetector(DRIFT);
    ScoreStats st = driftReady(8);
    Score out = new Score();
    float[] actual = new float[8];
    actual[3] = 1;
    float[] values = new float[8];
    int flaggedAt = 0;
    for (int i = 1; i <= 12 && flaggedAt == 0; i++) {
      d.score(st, new float[8], actual, values, out);
      flaggedAt = out.drift ? i : 0;
    }
    assertThat(flaggedAt).isEqualTo(10);
  }

  /**
   * For the hold's events after a flag the sums stay at 0: the same drift that is flagged on its
   * sixth event from a quiet key is flagged on the sixth event after the hold.
   */
  @Test
  void aDriftRightAfterAFlagWaitsForTheHold() {
    AnomalyDetector d = new AnomalyDetector(DRIFT.toBuilder().driftHold(10).build());
    ScoreStats st = driftReady(1);
    st.lastFlag = st.seen;
    Score out = new Score();
    int flaggedAt = 0;
    for (int i = 1; i <= 20 && flaggedAt == 0; i++) {
      d.score(st, new float[] {0}, new float[] {1}, new float[] {5}, out);
      if (i <= 10) {
        assertThat(st.driftUp[0]).isZero();
      }
      flaggedAt = out.drift ? i : 0;
    }
    assertThat(flaggedAt).isEqualTo(16);
  }

  /** A key whose values have never changed is not judged for drift, as not by its likelihood. */
  @Test
  void aFlatKeyNeverDrifts() {
    AnomalyDetector d = new AnomalyDetector(DRIFT);
    ScoreStats st = driftReady(1);
    st.rangeMin = new float[] {5};
    st.rangeMax = new float[] {5};
    Score out = new Score();
    for (int i = 0; i < 100; i++) {
      d.score(st, new float[] {0}, new float[] {1}, new float[] {5}, out);
      assertThat(out.anomaly).isFalse();
    }
    assertThat(st.driftUp[0]).isZero();
  }

  @Test
  void aLimitOfZeroTurnsTheDriftRuleOff() {
    AnomalyDetector d = new AnomalyDetector(DRIFT.toBuilder().driftLimit(0).build());
    ScoreStats st = driftReady(1);
    Score out = new Score();
    for (int i = 0; i < 100; i++) {
      d.score(st, new float[] {0}, new float[] {1}, new float[] {5}, out);
      assertThat(out.anomaly).isFalse();
    }
    assertThat(st.driftUp[0]).isZero();
  }

  /** A restart of the key's recurrent state starts the drift sums again. */
  @Test
  void aRestartClearsTheDriftSums() {
    AnomalyDetector d = new AnomalyDetector(DRIFT);
    ScoreStats st = driftReady(1);
    Score out = new Score();
    d.score(st, new float[] {0}, new float[] {1}, new float[] {5}, out);
    assertThat(st.driftUp[0]).isPositive();
    d.restart(st);
    assertThat(st.driftUp[0]).isZero();
  }

  /** The drift rule's hand-worked configuration: nothing but the drift rule can flag. */
  private static final DetectorConfig DRIFT =
      DetectorConfig.builder()
          .warmupEvents(0)
          .rangeTolerance(-1)
          .stuckRun(0)
          .driftLimit(2.8)
          .driftSlack(0.5)
          .driftWindow(1_000_000)
          .driftHold(0)
          .build();

  /**
   * A key past its warm-up whose errors sit at their mean of 1, whose values have ranged from 0 to
   * 10 and whose residuals on each of {@code channels} channels have mean 0 and deviation 1.
   */
  private static ScoreStats driftReady(int channels) {
    ScoreStats st = new ScoreStats();
    st.seen = 1000;
    st.errorMean = 1;
    st.errorVar = 1;
    st.residualMean = new float[channels];
    st.residualVar = new float[channels];
    Arrays.fill(st.residualVar, 1);
    st.residualCov = new float[channels];
    st.residualLast = new float[channels];
    st.driftUp = new float[channels];
    st.driftDown = new float[channels];
    // Values that have moved between 0 and 10 before: not a flat key.
    st.rangeMin = new float[channels];
    st.rangeMax = new float[channels];
    Arrays.fill(st.rangeMax, 10);
    return st;
  }

  private void feedOrdinary(int count) {
    for (int i = 0; i < count; i++) {
      score(detector, stats, ordinaryError(), ordinaryValues(), score);
    }
  }

  private double ordinaryError() {
    return Math.max(0, NORMAL_ERROR + NOISE * random.nextGaussian());
  }

  /** Values that cycle through 0 to 9, so the key is not flat and never leaves its range. */
  private float[] ordinaryValues() {
    return new float[] {step++ % 10};
  }

  /**
   * Scores an event whose prediction misses every channel by {@code error} (a residual of +error on
   * each), so its error is {@code error}.
   */
  private static void score(
      AnomalyDetector d, ScoreStats st, double error, float[] values, Score out) {
    float[] actual = new float[values.length];
    Arrays.fill(actual, (float) error);
    d.score(st, new float[values.length], actual, values, out);
  }
}
