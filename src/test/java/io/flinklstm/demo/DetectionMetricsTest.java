package io.flinklstm.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionMetricsTest {
  private static final long STEP = 60_000;
  private static final long TOLERANCE = 2 * STEP;

  /** Scores of one key at t = 0, 1, ... n − 1 minutes, flagged at the given minutes. */
  private static List<ScorePoint> scores(String key, int n, int... flagged) {
    List<ScorePoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean flag = false;
      for (int f : flagged) {
        flag |= f == i;
      }
      out.add(new ScorePoint(key, i * STEP, flag, flag ? 0.9999 : 0.5, 1));
    }
    return out;
  }

  private static AnomalyWindow window(String key, AnomalyKind kind, int first, int last) {
    return new AnomalyWindow(key, kind, first * STEP, last * STEP);
  }

  @Test
  void aFlagInsideAWindowFindsItWithItsDelay() {
    AnomalyWindow w = window("a", AnomalyKind.SPIKE, 10, 14);
    DetectionMetrics m = DetectionMetrics.evaluate(scores("a", 30, 12, 13), List.of(w), TOLERANCE);
    assertThat(m.outcomes())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.found()).isTrue();
              assertThat(o.delayEvents()).isEqualTo(2);
              assertThat(o.delayMillis()).isEqualTo(2 * STEP);
            });
    assertThat(m.windowPrecision()).isEqualTo(1.0);
    assertThat(m.windowRecall()).isEqualTo(1.0);
    assertThat(m.eventPrecision()).isEqualTo(1.0);
    assertThat(m.eventRecall()).isEqualTo(2.0 / 5);
    assertThat(m.byKind().get(AnomalyKind.SPIKE).found()).isEqualTo(1);
    assertThat(m.byKind().get(AnomalyKind.STUCK_SENSOR).windows()).isZero();
  }

  @Test
  void aFlagWithinTheToleranceAfterTheEndStillFindsTheWindowButNotLater() {
    AnomalyWindow w = window("a", AnomalyKind.LEVEL_SHIFT, 10, 14);
    DetectionMetrics justIn = DetectionMetrics.evaluate(scores("a", 30, 16), List.of(w), TOLERANCE);
    assertThat(justIn.outcomes().get(0).found()).isTrue();
    assertThat(justIn.outcomes().get(0).delayEvents()).isEqualTo(6);
    assertThat(justIn.falsePositiveRuns()).isZero();
    assertThat(justIn.eventPrecision()).isEqualTo(1.0);
    assertThat(justIn.eventRecall()).isZero();

    DetectionMetrics tooLate =
        DetectionMetrics.evaluate(scores("a", 30, 17), List.of(w), TOLERANCE);
    assertThat(tooLate.outcomes().get(0).found()).isFalse();
    assertThat(tooLate.falsePositiveRuns()).isEqualTo(1);
    assertThat(tooLate.windowPrecision()).isZero();
    assertThat(tooLate.windowRecall()).isZero();
  }

  @Test
  void aFlagBeforeTheWindowIsAFalsePositiveAndRunsCountOnce() {
    AnomalyWindow w = window("a", AnomalyKind.STUCK_SENSOR, 20, 24);
    // The run 3-4-5 counts once, 8 once, 35 once; 26 is within the tolerance after 24.
    DetectionMetrics m =
        DetectionMetrics.evaluate(scores("a", 40, 3, 4, 5, 8, 21, 26, 35), List.of(w), TOLERANCE);
    assertThat(m.falsePositiveRuns()).isEqualTo(3);
    assertThat(m.flaggedEvents()).isEqualTo(7);
    assertThat(m.flagsInWindows()).isEqualTo(2);
    assertThat(m.windowPrecision()).isEqualTo(1.0 / 4);
    assertThat(m.eventPrecision()).isEqualTo(2.0 / 7);
  }

  @Test
  void flagsOfOneKeyNeverFindAnotherKeysWindow() {
    AnomalyWindow w = window("a", AnomalyKind.SPIKE, 10, 12);
    List<ScorePoint> all = new ArrayList<>(scores("a", 30));
    all.addAll(scores("b", 30, 11));
    DetectionMetrics m = DetectionMetrics.evaluate(all, List.of(w), TOLERANCE);
    assertThat(m.outcomes().get(0).found()).isFalse();
    assertThat(m.falsePositiveRuns()).isEqualTo(1);
    assertThat(m.scoredEvents()).isEqualTo(60);
  }

  @Test
  void delaysAreAveragedPerKindAndOverallAndUnscoredWindowsLeftOut() {
    List<AnomalyWindow> windows =
        List.of(
            window("a", AnomalyKind.SPIKE, 10, 12),
            window("a", AnomalyKind.FREQUENCY_CHANGE, 30, 40),
            window("b", AnomalyKind.FREQUENCY_CHANGE, 5, 15),
            window("b", AnomalyKind.LEVEL_SHIFT, 100, 110)); // b's scores end at 49
    List<ScorePoint> all = new ArrayList<>(scores("a", 50, 10, 34));
    all.addAll(scores("b", 50, 11));
    DetectionMetrics m = DetectionMetrics.evaluate(all, windows, TOLERANCE);
    assertThat(m.outcomes()).hasSize(3);
    assertThat(m.byKind().get(AnomalyKind.LEVEL_SHIFT).windows()).isZero();
    Tally frequency = m.byKind().get(AnomalyKind.FREQUENCY_CHANGE);
    assertThat(frequency.found()).isEqualTo(2);
    assertThat(frequency.meanDelayEvents()).isEqualTo(5.0);
    assertThat(frequency.meanDelayMillis()).isEqualTo(5.0 * STEP);
    assertThat(m.overall().meanDelayEvents()).isCloseTo(10.0 / 3, within(1e-12));
    assertThat(m.overall().medianDelayEvents()).isEqualTo(4.0);
    assertThat(m.windowRecall()).isEqualTo(1.0);
  }

  @Test
  void nothingFlaggedGivesUndefinedPrecisionAndZeroRecall() {
    AnomalyWindow w = window("a", AnomalyKind.SPIKE, 10, 12);
    DetectionMetrics m = DetectionMetrics.evaluate(scores("a", 30), List.of(w), TOLERANCE);
    assertThat(m.windowPrecision()).isNaN();
    assertThat(m.eventPrecision()).isNaN();
    assertThat(m.windowRecall()).isZero();
    assertThat(m.overall().meanDelayEvents()).isNaN();
  }
}
