package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.bptt.Parameters;
import org.junit.jupiter.api.Test;

class InitializerTest {
  private static final int INPUTS = 3;
  private static final int HIDDEN = 8;

  private final LstmModel model =
      Initializer.fresh(
          ModelInfo.first("init", TrainFixtures.CREATED),
          Normalizer.identity(INPUTS),
          HIDDEN,
          2,
          42);

  @Test
  void forgetGateBiasIsOneAndTheRestZero() {
    for (LstmLayer layer : model.layers()) {
      float[] bias = layer.bias();
      for (int j = 0; j < 4 * HIDDEN; j++) {
        boolean forget = j >= HIDDEN && j < 2 * HIDDEN;
        assertThat(bias[j]).as("bias[%d]", j).isEqualTo(forget ? 1f : 0f);
      }
    }
    assertThat(model.head().bias()).containsOnly(0f);
  }

  @Test
  void recurrentRowsAreOrthonormal() {
    float[][] wh = model.layers().get(1).recurrentWeights();
    for (int a = 0; a < HIDDEN; a++) {
      for (int b = 0; b < HIDDEN; b++) {
        double dot = 0;
        for (int j = 0; j < 4 * HIDDEN; j++) {
          dot += (double) wh[a][j] * wh[b][j];
        }
        assertThat(dot).as("row %d · row %d", a, b).isCloseTo(a == b ? 1 : 0, offset(1e-6));
      }
    }
  }

  @Test
  void inputWeightsStayWithinTheGlorotLimit() {
    double limit = Math.sqrt(6.0 / (INPUTS + 4 * HIDDEN));
    for (float[] row : model.layers().get(0).inputWeights()) {
      for (float w : row) {
        assertThat(Math.abs(w)).isLessThanOrEqualTo((float) limit);
      }
    }
  }

  @Test
  void sameSeedSameWeights() {
    LstmModel again =
        Initializer.fresh(
            ModelInfo.first("init", TrainFixtures.CREATED),
            Normalizer.identity(INPUTS),
            HIDDEN,
            2,
            42);
    var a = Parameters.of(model).arrays();
    var b = Parameters.of(again).arrays();
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i)).containsExactly(a.get(i));
    }
  }
}
