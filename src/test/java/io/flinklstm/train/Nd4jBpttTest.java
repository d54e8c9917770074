package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.bptt.Bptt;
import io.flinklstm.model.bptt.Parameters;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ND4J path against the model core's {@link Bptt}, which the finite-difference gradient check
 * (BpttGradientCheckTest) covers: same loss, gradients and final states, so the ND4J path passes
 * the same check. Two layers, chunks carried across calls, and a burn-in.
 */
class Nd4jBpttTest {
  private static final int INPUTS = 3;
  private static final int SEQUENCES = 5;
  private static final int STEPS = 6;

  @Test
  void agreesWithTheGradientCheckedKernels() {
    Random random = new Random(21);
    LstmModel model = model(random, Activation.TANH);
    Parameters params = Parameters.of(model);
    Bptt kernels = new Bptt(params);
    Nd4jBptt nd4j = new Nd4jBptt(params);
    LstmState[] a = states(model, random);
    LstmState[] b = copies(a);

    float[][][] burn = sequences(random, 2);
    kernels.advance(burn, a);
    nd4j.advance(burn, b);
    for (int chunk = 0; chunk < 2; chunk++) {
      float[][][] x = sequences(random, STEPS);
      float[][][] y = sequences(random, STEPS);
      double lossA = kernels.forward(x, y, a);
      double lossB = nd4j.forward(x, y, b);
      assertThat(lossB).isCloseTo(lossA, offset(1e-5 * lossA));
      Parameters gradsA = params.zerosLike();
      Parameters gradsB = params.zerosLike();
      kernels.backward(gradsA);
      nd4j.backward(gradsB);
      List<float[]> ga = gradsA.arrays();
      List<float[]> gb = gradsB.arrays();
      for (int i = 0; i < ga.size(); i++) {
        for (int j = 0; j < ga.get(i).length; j++) {
          assertThat(gb.get(i)[j])
              .as("chunk %d array %d [%d]", chunk, i, j)
              .isCloseTo(ga.get(i)[j], offset(2e-5f + 1e-4f * Math.abs(ga.get(i)[j])));
        }
      }
      for (int s = 0; s < SEQUENCES; s++) {
        for (int j = 0; j < model.stateSize(); j++) {
          assertThat(b[s].h()[j]).isCloseTo(a[s].h()[j], offset(1e-5f));
          assertThat(b[s].c()[j]).isCloseTo(a[s].c()[j], offset(1e-5f));
        }
      }
    }
  }

  @Test
  void trainingStepsOnBothBackendsAgree() {
    Random random = new Random(22);
    LstmModel model = model(random, Activation.TANH);
    TrainerConfig config = TrainerConfig.builder().learningRate(0.01).build();
    TrainingStep kernels = new TrainingStep(Parameters.of(model), config);
    TrainingStep nd4j =
        new TrainingStep(
            Parameters.of(model), config.toBuilder().backend(TrainerConfig.Backend.ND4J).build());
    assertThat(nd4j.kernelName()).isEqualTo("nd4j");
    WindowBatch batch = new WindowBatch(SEQUENCES, 2, STEPS, INPUTS);
    for (int b = 0; b < SEQUENCES; b++) {
      batch.burnInInputs()[b] = sequences(random, 2)[0];
      batch.inputs()[b] = sequences(random, STEPS)[0];
      batch.targets()[b] = sequences(random, STEPS)[0];
    }
    for (int i = 0; i < 3; i++) {
      assertThat(nd4j.run(batch).loss()).isCloseTo(kernels.run(batch).loss(), offset(1e-4));
    }
    List<float[]> pa = kernels.parameters().arrays();
    List<float[]> pb = nd4j.parameters().arrays();
    for (int i = 0; i < pa.size(); i++) {
      for (int j = 0; j < pa.get(i).length; j++) {
        assertThat(pb.get(i)[j]).isCloseTo(pa.get(i)[j], offset(1e-4f));
      }
    }
  }

  @Test
  void refusesOtherActivations() {
    Parameters params = Parameters.of(model(new Random(23), Activation.RELU));
    assertThatThrownBy(() -> new Nd4jBptt(params))
        .hasMessage("the ND4J backend trains tanh/sigmoid layers only; layer 0 has relu/sigmoid");
  }

  private static LstmModel model(Random random, Activation act) {
    return new LstmModel(
        ModelInfo.first("nd4j", TrainFixtures.CREATED),
        Normalizer.identity(INPUTS),
        List.of(layer(random, INPUTS, 17, act), layer(random, 17, 6, act)),
        new DenseLayer(matrix(random, 6, INPUTS), vector(random, INPUTS)));
  }

  private static LstmLayer layer(Random random, int in, int hidden, Activation act) {
    return new LstmLayer(
        matrix(random, in, 4 * hidden),
        matrix(random, hidden, 4 * hidden),
        vector(random, 4 * hidden),
        act,
        Activation.SIGMOID);
  }

  private static float[][] matrix(Random random, int rows, int cols) {
    float[][] m = new float[rows][];
    for (int r = 0; r < rows; r++) {
      m[r] = vector(random, cols);
    }
    return m;
  }

  private static float[] vector(Random random, int size) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = (float) (random.nextGaussian() * 0.4);
    }
    return v;
  }

  private static float[][][] sequences(Random random, int steps) {
    float[][][] x = new float[SEQUENCES][steps][];
    for (int s = 0; s < SEQUENCES; s++) {
      for (int t = 0; t < steps; t++) {
        x[s][t] = vector(random, INPUTS);
      }
    }
    return x;
  }

  private static LstmState[] states(LstmModel model, Random random) {
    LstmState[] states = new LstmState[SEQUENCES];
    for (int s = 0; s < SEQUENCES; s++) {
      states[s] =
          new LstmState(vector(random, model.stateSize()), vector(random, model.stateSize()));
    }
    return states;
  }

  private static LstmState[] copies(LstmState[] states) {
    LstmState[] out = new LstmState[states.length];
    for (int s = 0; s < states.length; s++) {
      out[s] = states[s].copy();
    }
    return out;
  }
}
