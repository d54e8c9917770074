package io.flinklstm.model.bptt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The vector training kernel against the scalar one at a production shape (H = 64, D = 8, two
 * layers), with a batch that is not a multiple of the kernels' four-row tile, and the burn-in pass
 * against a forward pass.
 */
class BpttKernelAgreementTest {
  private static final int INPUTS = 8;
  private static final int HIDDEN = 64;
  private static final int SEQUENCES = 9;
  private static final int STEPS = 7;
  private static final float TOLERANCE = 2e-5f;

  @Test
  void vectorKernelAgreesWithScalarKernel() {
    Random random = new Random(11);
    LstmModel model = model(random);
    float[][][] x = sequences(random, STEPS);
    float[][][] y = sequences(random, STEPS);
    Parameters params = Parameters.of(model);

    Parameters scalarGrads = params.zerosLike();
    LstmState[] scalarStates = states(model);
    Bptt scalar = new Bptt(params, BpttKernels.scalar());
    double scalarLoss = scalar.forward(x, y, scalarStates);
    scalar.backward(scalarGrads);

    Parameters vectorGrads = params.zerosLike();
    LstmState[] vectorStates = states(model);
    Bptt vector = new Bptt(params, BpttKernels.vectorOrNull());
    double vectorLoss = vector.forward(x, y, vectorStates);
    vector.backward(vectorGrads);

    assertThat(vectorLoss).isCloseTo(scalarLoss, Offset.offset(1e-6 * scalarLoss));
    List<float[]> a = scalarGrads.arrays();
    List<float[]> b = vectorGrads.arrays();
    for (int i = 0; i < a.size(); i++) {
      for (int j = 0; j < a.get(i).length; j++) {
        assertThat(b.get(i)[j]).as("array %d [%d]", i, j).isCloseTo(a.get(i)[j], tolerance(a, i));
      }
    }
    for (int s = 0; s < SEQUENCES; s++) {
      for (int j = 0; j < model.stateSize(); j++) {
        assertThat(vectorStates[s].h()[j]).isCloseTo(scalarStates[s].h()[j], Offset.offset(1e-5f));
        assertThat(vector.initialStateGradients()[s].c()[j])
            .isCloseTo(scalar.initialStateGradients()[s].c()[j], Offset.offset(1e-5f));
      }
    }
  }

  @Test
  void advanceEndsInTheStateForwardEndsIn() {
    Random random = new Random(12);
    LstmModel model = model(random);
    float[][][] x = sequences(random, STEPS);
    LstmState[] viaForward = states(model);
    LstmState[] viaAdvance = states(model);
    Bptt bptt = new Bptt(Parameters.of(model));
    bptt.forward(x, x, viaForward);
    bptt.advance(x, viaAdvance);
    for (int s = 0; s < SEQUENCES; s++) {
      assertThat(viaAdvance[s].h()).containsExactly(viaForward[s].h());
      assertThat(viaAdvance[s].c()).containsExactly(viaForward[s].c());
    }
    assertThatThrownBy(() -> bptt.backward(Parameters.of(model).zerosLike()))
        .isInstanceOf(IllegalStateException.class);
  }

  /** Absolute tolerance scaled to the largest gradient of the array. */
  private static Offset<Float> tolerance(List<float[]> grads, int array) {
    float max = 0f;
    for (float v : grads.get(array)) {
      max = Math.max(max, Math.abs(v));
    }
    return Offset.offset(TOLERANCE * Math.max(max, 1e-3f));
  }

  private static LstmModel model(Random random) {
    return new LstmModel(
        ModelInfo.first("agree", Instant.EPOCH),
        Normalizer.identity(INPUTS),
        List.of(
            BpttGradientCheckTest.randomLayer(
                random, INPUTS, HIDDEN, Activation.TANH, Activation.SIGMOID, 0.2),
            BpttGradientCheckTest.randomLayer(
                random, HIDDEN, HIDDEN, Activation.TANH, Activation.SIGMOID, 0.2)),
        new DenseLayer(
            BpttGradientCheckTest.randomMatrix(random, HIDDEN, INPUTS, 0.2),
            BpttGradientCheckTest.randomVector(random, INPUTS, 0.2)));
  }

  private static float[][][] sequences(Random random, int steps) {
    float[][][] x = new float[SEQUENCES][steps][];
    for (int s = 0; s < SEQUENCES; s++) {
      for (int t = 0; t < steps; t++) {
        x[s][t] = BpttGradientCheckTest.randomVector(random, INPUTS, 1.0);
      }
    }
    return x;
  }

  private static LstmState[] states(LstmModel model) {
    LstmState[] states = new LstmState[SEQUENCES];
    for (int s = 0; s < SEQUENCES; s++) {
      states[s] = model.newState();
    }
    return states;
  }
}
