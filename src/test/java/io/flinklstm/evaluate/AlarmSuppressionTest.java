package io.flinklstm.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AlarmSuppressionTest {

  @Test
  void keepsOnlyScoresAboveEveryScoreOfThePreviousRows() {
    double[] scores = {0.1, 0.9, 0.95, 0.9, 0.2, 0.1, 0.1, 0.99};

    assertThat(AlarmSuppression.apply(scores, 2)).containsExactly(0.1, 0.9, 0.95, 0, 0, 0, 0, 0.99);
    assertThat(AlarmSuppression.apply(scores, 0)).containsExactly(scores);
  }

  @Test
  void aRunOfEqualScoresCountsOnce() {
    assertThat(AlarmSuppression.apply(new double[] {1, 1, 1, 0, 0, 0, 1}, 2))
        .containsExactly(1, 0, 0, 0, 0, 0, 1);
  }

  @Test
  void agreesWithTheDirectDefinition() {
    Random random = new Random(7);
    double[] scores = new double[500];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = random.nextInt(4) == 0 ? 1.0 : random.nextDouble();
    }
    for (int rows : new int[] {1, 3, 17, 600}) {
      double[] fast = AlarmSuppression.apply(scores, rows);
      for (int i = 0; i < scores.length; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = Math.max(0, i - rows); j < i; j++) {
          max = Math.max(max, scores[j]);
        }
        assertThat(fast[i])
            .as("row %d, %d rows back", i, rows)
            .isEqualTo(scores[i] > max ? scores[i] : 0);
      }
    }
  }

  @Test
  void refusesANegativeLookBack() {
    assertThatThrownBy(() -> AlarmSuppression.apply(new double[1], -1))
        .hasMessageContaining("--suppress-rows");
  }
}
