package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingDataTest {
  private static final int WINDOW = 10;
  private static final int BURN_IN = 3;

  @Test
  void holdsOutTheMostRecentWholeWindows() {
    SequenceSet set = new SequenceSet(1, List.of(TrainFixtures.counting("a", 200)));
    TrainingData data = TrainingData.split(set, WINDOW, BURN_IN, 0.25, 100);

    // ⌊0.25 · 200 / 10⌋ = 5 windows: targets 150..199.
    assertThat(data.validationWindows()).isEqualTo(5);
    assertThat(data.trainEnd(0)).isEqualTo(150);
    for (int i = 0; i < 5; i++) {
      int firstTarget = data.validationStart(i) + BURN_IN + 1;
      assertThat(firstTarget).isEqualTo(150 + WINDOW * i);
    }
    // Training windows end with their last target at 149 at the latest.
    assertThat(data.trainingWindows()).isEqualTo(150 - BURN_IN - WINDOW);
    long last = data.locateTrainingWindow(data.trainingWindows() - 1);
    assertThat((int) last + BURN_IN + WINDOW).isEqualTo(149);
    assertThat(data.trainingTargets()).isEqualTo(150 - BURN_IN - 1);
  }

  @Test
  void shortKeysKeepAtLeastOneValidationWindowOrNone() {
    SequenceSet set =
        new SequenceSet(
            1,
            List.of(
                TrainFixtures.counting("a", 40),
                TrainFixtures.counting("b", 14),
                TrainFixtures.counting("c", 5)));
    TrainingData data = TrainingData.split(set, WINDOW, BURN_IN, 0.1, 100);
    // a: 1 window (targets 30..39), 40 − 10 − 3 − 10 = 17 training windows.
    // b: one validation window fits (needs 3 + 1 + 10 = 14 values) and nothing is left to train.
    // c: too short for anything.
    assertThat(data.validationWindows()).isEqualTo(2);
    assertThat(data.trainingWindows()).isEqualTo(17);
    assertThat(data.validationSeries(1)).isEqualTo(1);
    assertThat(data.validationStart(1)).isZero();
  }

  @Test
  void capsValidationWindowsWithAnEvenlySpacedSubset() {
    SequenceSet set = new SequenceSet(1, List.of(TrainFixtures.counting("a", 1000)));
    TrainingData data = TrainingData.split(set, WINDOW, 0, 0.5, 10);
    assertThat(data.validationWindows()).isEqualTo(10);
    // 50 windows from step 500; every fifth is kept.
    for (int i = 0; i < 10; i++) {
      assertThat(data.validationStart(i) + 1).isEqualTo(500 + 5 * WINDOW * i);
    }
  }

  @Test
  void noValidationForAZeroFraction() {
    SequenceSet set = new SequenceSet(1, List.of(TrainFixtures.counting("a", 100)));
    TrainingData data = TrainingData.split(set, WINDOW, BURN_IN, 0, 10);
    assertThat(data.validationWindows()).isZero();
    assertThat(data.trainingWindows()).isEqualTo(100 - BURN_IN - WINDOW);
  }

  /** A validation window holding a flagged step is left out; the others keep their places. */
  @Test
  void validationWindowsHoldingAFlaggedStepAreLeftOut() {
    boolean[] flagged = new boolean[200];
    flagged[165] = true; // the second validation window's targets, 160..169
    SequenceSet set =
        new SequenceSet(1, List.of(TrainFixtures.counting("a", 200).withFlagged(flagged)));
    TrainingData data = TrainingData.split(set, WINDOW, BURN_IN, 0.25, 100);
    assertThat(data.validationWindows()).isEqualTo(4);
    List<Integer> firstTargets = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      firstTargets.add(data.validationStart(i) + BURN_IN + 1);
    }
    // A window reads from 3 + 1 steps before its first target: 170's reads 166.. and is kept.
    assertThat(firstTargets).containsExactly(150, 170, 180, 190);
  }
}
