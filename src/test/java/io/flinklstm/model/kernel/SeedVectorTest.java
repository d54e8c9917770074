package io.flinklstm.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Keras layer with identity activations, its outputs worked out by hand. */
class SeedVectorTest {
  static final float[][] KERNEL = {
    {2, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0},
    {1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0}
  };
  static final float[][] RECURRENT_KERNEL = {
    {1, 0, 0, 1, 2, 1, 0, 1, 2, 0, 1, 0},
    {1, 1, 0, 0, 2, 1, 0, 1, 2, 2, 0, 0},
    {1, 0, 1, 2, 0, 1, 0, 1, 1, 0, 1, 0}
  };
  static final float[] BIAS = {3, 1, 0, 1, 1, 0, 0, 1, 0, 2, 0, 0};

  static LstmModel seedModel() {
    LstmLayer layer =
        new LstmLayer(KERNEL, RECURRENT_KERNEL, BIAS, Activation.IDENTITY, Activation.IDENTITY);
    DenseLayer head = new DenseLayer(new float[3][2], new float[2]);
    return new LstmModel(
        ModelInfo.first("seed", Instant.EPOCH), Normalizer.identity(2), List.of(layer), head);
  }

  @Test
  void oneStepGivesTheFrameworksOutput() {
    for (LstmKernel kernel : KernelsForTest.all()) {
      LstmModel model = seedModel();
      LstmState state = model.newState();
      new Stepper(model, kernel).step(state, new float[] {1, 0});
      assertThat(state.h()).as(kernel.name()).containsExactly(0f, 4f, 0f);
      assertThat(state.c()).as(kernel.name()).containsExactly(0f, 4f, 1f);
    }
  }
}
