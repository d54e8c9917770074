package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.Normalizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowSamplerTest {
  private static final int WINDOW = 8;
  private static final int BURN_IN = 2;

  private final TrainingData data =
      TrainingData.split(
          new SequenceSet(
              1, List.of(TrainFixtures.counting("a", 100), TrainFixtures.counting("b", 60))),
          WINDOW,
          BURN_IN,
          0.2,
          100);

  @Test
  void windowsAreConsecutiveNormalisedValuesOfTheTrainingPart() {
    Normalizer normalizer = new Normalizer(new float[] {10}, new float[] {2});
    WindowSampler sampler = new WindowSampler(data, normalizer, 7);
    WindowBatch batch = new WindowBatch(32, BURN_IN, WINDOW, 1);
    for (int draw = 0; draw < 20; draw++) {
      sampler.next(batch);
      for (int b = 0; b < batch.size(); b++) {
        float first = batch.burnInInputs()[b][0][0] * 2 + 10;
        for (int t = 0; t < BURN_IN; t++) {
          assertThat(batch.burnInInputs()[b][t][0] * 2 + 10).isEqualTo(first + t);
        }
        for (int t = 0; t < WINDOW; t++) {
          assertThat(batch.inputs()[b][t][0] * 2 + 10).isEqualTo(first + BURN_IN + t);
          assertThat(batch.targets()[b][t][0] * 2 + 10).isEqualTo(first + BURN_IN + t + 1);
        }
        // a holds out its last 16 values (targets from 84), b its last 8 (from 52).
        float lastTarget = first + BURN_IN + WINDOW;
        assertThat(lastTarget).isLessThan(84f);
      }
    }
  }

  @Test
  void sameSeedSameBatches() {
    Normalizer identity = Normalizer.identity(1);
    WindowBatch a = new WindowBatch(16, BURN_IN, WINDOW, 1);
    WindowBatch b = new WindowBatch(16, BURN_IN, WINDOW, 1);
    WindowSampler first = new WindowSampler(data, identity, 3);
    WindowSampler second = new WindowSampler(data, identity, 3);
    for (int draw = 0; draw < 5; draw++) {
      first.next(a);
      second.next(b);
      for (int i = 0; i < 16; i++) {
        assertThat(b.inputs()[i][0]).containsExactly(a.inputs()[i][0]);
      }
    }
  }

  @Test
  void refusesABatchOfAnotherShape() {
    WindowSampler sampler = new WindowSampler(data, Normalizer.identity(1), 1);
    assertThatThrownBy(() -> sampler.next(new WindowBatch(4, BURN_IN, WINDOW + 1, 1)))
        .hasMessageContaining("does not fit data of 8, 2 and 1");
  }

  /** Windows holding a flagged step are drawn again, so training does not see it. */
  @Test
  void windowsHoldingAFlaggedStepAreDrawnAgain() {
    boolean[] flagged = new boolean[100];
    flagged[40] = true;
    TrainingData marked =
        TrainingData.split(
            new SequenceSet(1, List.of(TrainFixtures.counting("a", 100).withFlagged(flagged))),
            WINDOW,
            BURN_IN,
            0.2,
            100);
    WindowSampler sampler = new WindowSampler(marked, Normalizer.identity(1), 3);
    WindowBatch batch = new WindowBatch(64, BURN_IN, WINDOW, 1);
    for (int draw = 0; draw < 20; draw++) {
      sampler.next(batch);
      for (int b = 0; b < batch.size(); b++) {
        float first = batch.burnInInputs()[b][0][0];
        float lastTarget = batch.targets()[b][WINDOW - 1][0];
        assertThat(40f >= first && 40f <= lastTarget)
            .as("a window over %s..%s", first, lastTarget)
            .isFalse();
      }
    }
  }
}
