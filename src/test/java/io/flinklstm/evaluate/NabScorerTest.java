package io.flinklstm.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The NAB score on hand-made files of 100 rows, one a minute: rows 0 to 14 are the probationary
 * period, and the anomaly window spans rows 50 to 59. The expected weights come from NAB's scaled
 * sigmoid evaluated independently (Python's math module).
 */
class NabScorerTest {
  private static final long BEGINNING = 1_396_310_400_000L;
  private static final long ONE_MINUTE = 60_000L;
  private static final int ROWS = 100;
  private static final int WINDOW_START = 50;
  private static final int WINDOW_END = 59;
  private static final double HALF = 0.5;

  /** σₛ(−0.8) / σₛ(−1): a first detection three rows into a ten-row window. */
  private static final double WEIGHT_THREE_ROWS_IN = 0.9771068409226045;

  /** σₛ(−0.5) / σₛ(−1): a first detection halfway into the window. */
  private static final double WEIGHT_HALFWAY = 0.8597925669097837;

  /** σₛ(1/9): the first row after a ten-row window. */
  private static final double SIGMOID_JUST_AFTER = -0.2708471185167214;

  @Test
  void aDetectionAtTheWindowsStartScores100InEveryProfile() {
    NabFile file = file("a.csv", WINDOW_START);
    for (NabProfile profile : NabProfile.ALL) {
      NabScorer.Result r = NabScorer.optimize(List.of(file), profile);
      assertThat(r.normalized()).as(profile.name()).isCloseTo(100.0, within(1e-9));
      assertThat(r.raw()).isCloseTo(profile.tpWeight(), within(1e-12));
      assertThat(r.threshold()).isEqualTo(1.0);
      assertThat(r.detectedWindows()).isEqualTo(1);
      assertThat(r.falsePositives()).isZero();
    }
  }

  @Test
  void noDetectionsScoreZero() {
    NabFile silent = file("a.csv");
    for (NabProfile profile : NabProfile.ALL) {
      NabScorer.Result fixed = NabScorer.atThreshold(List.of(silent), profile, HALF);
      assertThat(fixed.normalized()).isCloseTo(0.0, within(1e-12));
      assertThat(fixed.raw()).isEqualTo(-profile.fnWeight());
      // Flagging every row would find the window but cost far more in false positives.
      NabScorer.Result best = NabScorer.optimize(List.of(silent), profile);
      assertThat(best.threshold()).isEqualTo(NabScorer.NO_DETECTION);
      assertThat(best.normalized()).isCloseTo(0.0, within(1e-12));
    }
  }

  @Test
  void aDetectionOutsideEveryWindowCostsTheProfilesFalsePositiveWeight() {
    NabFile file = file("a.csv", 30);
    for (NabProfile profile : NabProfile.ALL) {
      NabScorer.Result r = NabScorer.atThreshold(List.of(file), profile, HALF);
      assertThat(r.raw())
          .as(profile.name())
          .isCloseTo(-profile.fnWeight() - profile.fpWeight(), within(1e-12));
      assertThat(r.falsePositives()).isEqualTo(1);
      double expected = -100 * profile.fpWeight() / (profile.tpWeight() + profile.fnWeight());
      assertThat(r.normalized()).isCloseTo(expected, within(1e-9));
    }
    assertThat(NabScorer.atThreshold(List.of(file), NabProfile.STANDARD, HALF).normalized())
        .isCloseTo(-5.5, within(1e-9));
  }

  @Test
  void aFalsePositiveJustAfterAWindowCostsLess() {
    NabScorer.Result r =
        NabScorer.atThreshold(List.of(file("a.csv", WINDOW_END + 1)), NabProfile.STANDARD, HALF);
    assertThat(r.raw()).isCloseTo(-1.0 + 0.11 * SIGMOID_JUST_AFTER, within(1e-12));
  }

  @Test
  void onlyTheEarliestDetectionInAWindowCounts() {
    NabProfile p = NabProfile.STANDARD;
    double both = NabScorer.atThreshold(List.of(file("a.csv", 52, 55)), p, HALF).raw();
    double early = NabScorer.atThreshold(List.of(file("a.csv", 52)), p, HALF).raw();
    double late = NabScorer.atThreshold(List.of(file("a.csv", 55)), p, HALF).raw();

    assertThat(early).isCloseTo(WEIGHT_THREE_ROWS_IN, within(1e-12));
    assertThat(late).isCloseTo(WEIGHT_HALFWAY, within(1e-12));
    assertThat(both).isEqualTo(early);
    NabScorer.Result r = NabScorer.atThreshold(List.of(file("a.csv", 52, 55)), p, HALF);
    assertThat(r.detectedWindows()).isEqualTo(1);
    assertThat(r.falsePositives()).isZero();
  }

  @Test
  void theProbationaryPeriodIsNotScored() {
    NabScorer.Result r =
        NabScorer.atThreshold(List.of(file("a.csv", 10)), NabProfile.STANDARD, HALF);
    assertThat(r.raw()).isEqualTo(-1.0);
    assertThat(r.falsePositives()).isZero();
    assertThat(NabFile.probationaryRows(ROWS)).isEqualTo(15);
    assertThat(NabFile.probationaryRows(4033)).isEqualTo(604);
    assertThat(NabFile.probationaryRows(22_695)).isEqualTo(750);
  }

  @Test
  void oneThresholdServesTheWholeCorpusAndMaximisesItsScore() {
    // a: the window's start scores 0.8. b: a false positive at 0.9, the window's start at 0.7.
    NabFile a = file("a.csv", new int[] {WINDOW_START}, new double[] {0.8});
    NabFile b = file("b.csv", new int[] {30, WINDOW_START}, new double[] {0.9, 0.7});

    NabScorer.Result r = NabScorer.optimize(List.of(a, b), NabProfile.STANDARD);

    assertThat(r.threshold()).isEqualTo(0.7);
    assertThat(r.raw()).isCloseTo(2.0 - 0.11, within(1e-12));
    assertThat(r.normalized()).isCloseTo(100 * (2.0 - 0.11 + 2.0) / 4.0, within(1e-9));
    assertThat(r.rawByFile()).containsEntry("a.csv", 1.0);
    assertThat(r.rawByFile().get("b.csv")).isCloseTo(1.0 - 0.11, within(1e-12));
  }

  @Test
  void windowsAreFoundByTheirRowsTimes() {
    NabFile f = file("a.csv");
    assertThat(f.windowRows()).isDeepEqualTo(new int[][] {{WINDOW_START, WINDOW_END}});
    boolean[] labels = f.labels();
    assertThat(labels[WINDOW_START - 1]).isFalse();
    assertThat(labels[WINDOW_START]).isTrue();
    assertThat(labels[WINDOW_END]).isTrue();
    assertThat(labels[WINDOW_END + 1]).isFalse();
  }

  /** A file with score 1 at the given rows and 0 elsewhere. */
  private static NabFile file(String name, int... detections) {
    double[] ones = new double[detections.length];
    java.util.Arrays.fill(ones, 1.0);
    return file(name, detections, ones);
  }

  private static NabFile file(String name, int[] rows, double[] values) {
    long[] times = new long[ROWS];
    for (int i = 0; i < ROWS; i++) {
      times[i] = BEGINNING + i * ONE_MINUTE;
    }
    double[] scores = new double[ROWS];
    for (int k = 0; k < rows.length; k++) {
      scores[rows[k]] = values[k];
    }
    return new NabFile(
        name, times, scores, List.of(new NabFile.Window(times[WINDOW_START], times[WINDOW_END])));
  }
}
