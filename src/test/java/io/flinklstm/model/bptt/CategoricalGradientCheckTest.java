package io.flinklstm.model.bptt;

import static io.flinklstm.model.bptt.BpttGradientCheckTest.randomMatrix;
import static io.flinklstm.model.bptt.BpttGradientCheckTest.randomVector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.flinklstm.model.Activation;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.Embedding;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.RecurrentLayer;
import io.flinklstm.model.RnnLayer;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.kernel.SteppersForTest;
import io.flinklstm.model.kernel.SymbolStepper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cross-entropy gradients of a categorical model (embedding, RNN and LSTM layers, softmax head)
 * against central finite differences of an independent double-precision forward pass ({@link
 * CategoricalDoubleReference}): every parameter tensor including the embedding, the initial state,
 * within one chunk and across a truncated-BPTT chunk boundary, on every training kernel.
 */
public class CategoricalGradientCheckTest {
  private static final int VOCABULARY = 6;
  private static final int EMBEDDING = 3;
  private static final int SEQUENCES = 2;
  private static final int STEPS = 5;
  private static final double EPS = 1e-5;
  private static final double REL_TOL = 2e-3;
  private static final double ABS_TOL = 2e-5;

  static List<BpttKernel> kernels() {
    return BpttGradientCheckTest.kernels();
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void rnnUnderAnLstm(BpttKernel kernel) {
    Random random = new Random(11);
    CategoricalModel model =
        model(random, rnn(random, EMBEDDING, 4, Activation.TANH), lstm(random, 4, 5));
    checkAllParameters(model, kernel, random);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void twoRnnLayersWithOtherActivations(BpttKernel kernel) {
    Random random = new Random(12);
    CategoricalModel model =
        model(
            random,
            rnn(random, EMBEDDING, 5, Activation.RELU),
            rnn(random, 5, 4, Activation.IDENTITY));
    checkAllParameters(model, kernel, random);
  }

  /** Hidden sizes past one vector, with a tail, so the vector loops and the padding run too. */
  @ParameterizedTest
  @MethodSource("kernels")
  void widerLayers(BpttKernel kernel) {
    Random random = new Random(13);
    CategoricalModel model =
        model(random, rnn(random, EMBEDDING, 17, Activation.TANH), lstm(random, 17, 3));
    checkAllParameters(model, kernel, random);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void initialStateGradients(BpttKernel kernel) {
    Random random = new Random(14);
    CategoricalModel model =
        model(random, lstm(random, EMBEDDING, 4), rnn(random, 4, 3, Activation.TANH));
    Parameters params = Parameters.of(model);
    int[][] x = randomSymbols(random, STEPS);
    int[][] y = randomSymbols(random, STEPS);
    LstmState[] start = randomStates(random, model);
    Bptt bptt = new Bptt(params, kernel);
    bptt.forward(x, y, ReferenceStates.copies(start));
    bptt.backward(params.zerosLike());

    CategoricalDoubleReference ref = new CategoricalDoubleReference(params);
    double[][] p = DoubleReference.toDouble(params.arrays());
    int lstmUnits = model.layers().get(0).hiddenSize();
    for (int s = 0; s < SEQUENCES; s++) {
      for (int j = 0; j < model.stateSize(); j++) {
        for (boolean cell : new boolean[] {false, true}) {
          double numeric = stateDifference(ref, p, x, y, start, s, j, cell);
          LstmState g = bptt.initialStateGradients()[s];
          float analytic = cell ? g.c()[j] : g.h()[j];
          assertClose((cell ? "dc0" : "dh0") + "[" + s + "][" + j + "]", analytic, numeric);
          if (cell && j >= lstmUnits) {
            // The RNN layer has no cell: its share of the state's c is not read.
            assertThat(analytic).isZero();
          }
        }
      }
    }
  }

  /**
   * Two chunks, the second from the state the first left: backward through the second, then through
   * the first with the second's initial-state gradient, is the derivative of the sum of both
   * losses, the embedding's included.
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void chunksComposeAcrossTheBoundary(BpttKernel kernel) {
    Random random = new Random(15);
    CategoricalModel model =
        model(random, rnn(random, EMBEDDING, 4, Activation.TANH), lstm(random, 4, 5));
    Parameters params = Parameters.of(model);
    int[][] x1 = randomSymbols(random, STEPS);
    int[][] y1 = randomSymbols(random, STEPS);
    int[][] x2 = randomSymbols(random, 4);
    int[][] y2 = randomSymbols(random, 4);

    LstmState[] state = zeroStates(model);
    Bptt first = new Bptt(params, kernel);
    Bptt second = new Bptt(params, kernel);
    first.forward(x1, y1, state);
    LstmState[] carried = ReferenceStates.copies(state);
    second.forward(x2, y2, state);
    Parameters grads = params.zerosLike();
    second.backward(grads);

    CategoricalDoubleReference ref = new CategoricalDoubleReference(params);
    compareAll(
        grads,
        params,
        p -> ref.loss(p, x2, y2, ref.fromStates(carried, false), ref.fromStates(carried, true)));

    first.backward(grads, second.initialStateGradients());
    compareAll(
        grads,
        params,
        p -> {
          double[][][] h = ref.zeroStates(SEQUENCES);
          double[][][] c = ref.zeroStates(SEQUENCES);
          return ref.loss(p, x1, y1, h, c) + ref.loss(p, x2, y2, h, c);
        });
  }

  /** Training's forward pass and the per-event stepper agree on states and on the loss. */
  @ParameterizedTest
  @MethodSource("kernels")
  void forwardAgreesWithTheStepper(BpttKernel kernel) {
    Random random = new Random(16);
    CategoricalModel model =
        model(random, rnn(random, EMBEDDING, 4, Activation.TANH), lstm(random, 4, 5));
    int[][] x = randomSymbols(random, STEPS);
    int[][] y = randomSymbols(random, STEPS);
    LstmState[] viaBptt = zeroStates(model);
    double loss = new Bptt(Parameters.of(model), kernel).forward(x, y, viaBptt);
    SymbolStepper stepper = SteppersForTest.scalar(model);
    double sum = 0;
    for (int s = 0; s < SEQUENCES; s++) {
      LstmState state = model.newState();
      for (int t = 0; t < STEPS; t++) {
        sum -= stepper.step(state, x[s][t])[y[s][t]];
      }
      for (int j = 0; j < model.stateSize(); j++) {
        assertThat(viaBptt[s].h()[j]).isCloseTo(state.h()[j], offset(1e-6f));
        assertThat(viaBptt[s].c()[j]).isCloseTo(state.c()[j], offset(1e-6f));
      }
    }
    assertThat(loss).isCloseTo(sum / (SEQUENCES * STEPS), offset(1e-5));
  }

  @Test
  void theStepperMatchesTheDoubleReference() {
    Random random = new Random(17);
    CategoricalModel model =
        model(random, rnn(random, EMBEDDING, 4, Activation.TANH), lstm(random, 4, 5));
    Parameters params = Parameters.of(model);
    CategoricalDoubleReference ref = new CategoricalDoubleReference(params);
    double[][] p = DoubleReference.toDouble(params.arrays());
    for (Map.Entry<String, SymbolStepper> e : SteppersForTest.all(model).entrySet()) {
      SymbolStepper stepper = e.getValue();
      LstmState state = model.newState();
      double[][][] hh = ref.zeroStates(1);
      double[][][] cc = ref.zeroStates(1);
      for (int t = 0; t < 50; t++) {
        int symbol = random.nextInt(VOCABULARY);
        float[] logp = stepper.step(state, symbol);
        double[] want = ref.step(p, symbol, hh[0], cc[0]);
        for (int o = 0; o < VOCABULARY; o++) {
          assertThat((double) logp[o])
              .as("%s t=%d", e.getKey(), t)
              .isCloseTo(want[o], offset(2e-6));
        }
      }
    }
  }

  @Test
  void numericInputIsRefusedForACategoricalModel() {
    Random random = new Random(18);
    CategoricalModel model = model(random, rnn(random, EMBEDDING, 4, Activation.TANH));
    Bptt bptt = new Bptt(Parameters.of(model));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                bptt.forward(
                    new float[1][1][EMBEDDING], new float[1][1][VOCABULARY], zeroStates(model)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("symbol ids");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> bptt.forward(new int[][] {{VOCABULARY}}, new int[][] {{0}}, zeroStates(model)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the vocabulary of 6");
  }

  private void checkAllParameters(CategoricalModel model, BpttKernel kernel, Random random) {
    Parameters params = Parameters.of(model);
    int[][] x = randomSymbols(random, STEPS);
    int[][] y = randomSymbols(random, STEPS);
    LstmState[] start = randomStates(random, model);
    Parameters grads = params.zerosLike();
    Bptt bptt = new Bptt(params, kernel);
    bptt.forward(x, y, ReferenceStates.copies(start));
    bptt.backward(grads);
    CategoricalDoubleReference ref = new CategoricalDoubleReference(params);
    compareAll(
        grads,
        params,
        p -> ref.loss(p, x, y, ref.fromStates(start, false), ref.fromStates(start, true)));
  }

  /** Every entry of every parameter array, analytic against numeric. */
  private static void compareAll(
      Parameters grads, Parameters params, ToDoubleFunction<double[][]> loss) {
    double[][] p = DoubleReference.toDouble(params.arrays());
    List<float[]> analytic = grads.arrays();
    List<String> names = tensorNames(params);
    int checked = 0;
    boolean embeddingMoved = false;
    for (int a = 0; a < p.length; a++) {
      for (int j = 0; j < p[a].length; j++) {
        double numeric = centralDifference(p[a], j, () -> loss.applyAsDouble(p));
        assertClose(names.get(a) + "[" + j + "]", analytic.get(a)[j], numeric);
        embeddingMoved |= a < params.embedding.length && Math.abs(numeric) > 1e-3;
        checked++;
      }
    }
    assertThat(checked).isEqualTo(params.size());
    assertThat(embeddingMoved).as("the loss depends on the embedding").isTrue();
  }

  private static double centralDifference(
      double[] values, int index, java.util.function.DoubleSupplier loss) {
    double saved = values[index];
    values[index] = saved + EPS;
    double plus = loss.getAsDouble();
    values[index] = saved - EPS;
    double minus = loss.getAsDouble();
    values[index] = saved;
    return (plus - minus) / (2 * EPS);
  }

  private static double stateDifference(
      CategoricalDoubleReference ref,
      double[][] p,
      int[][] x,
      int[][] y,
      LstmState[] start,
      int sequence,
      int index,
      boolean cell) {
    double[] losses = new double[2];
    double[] signs = {EPS, -EPS};
    for (int k = 0; k < 2; k++) {
      double[][][] h = ref.fromStates(start, false);
      double[][][] c = ref.fromStates(start, true);
      int layer = 0;
      int local = index;
      while (local >= h[sequence][layer].length) {
        local -= h[sequence][layer].length;
        layer++;
      }
      (cell ? c : h)[sequence][layer][local] += signs[k];
      losses[k] = ref.loss(p, x, y, h, c);
    }
    return (losses[0] - losses[1]) / (2 * EPS);
  }

  private static void assertClose(String what, float analytic, double numeric) {
    double tolerance = ABS_TOL + REL_TOL * Math.max(Math.abs(analytic), Math.abs(numeric));
    assertThat((double) analytic)
        .as("%s: analytic %s, finite difference %s", what, analytic, numeric)
        .isCloseTo(numeric, offset(tolerance));
  }

  private static List<String> tensorNames(Parameters params) {
    List<String> names = new ArrayList<>();
    for (int s = 0; s < params.embedding.length; s++) {
      names.add("input.embedding[" + s + "]");
    }
    for (int l = 0; l < params.layers.length; l++) {
      for (int k = 0; k < params.layers[l].inputSize(); k++) {
        names.add("layers." + l + ".input_weights[" + k + "]");
      }
      for (int k = 0; k < params.layers[l].hiddenSize(); k++) {
        names.add("layers." + l + ".recurrent_weights[" + k + "]");
      }
      names.add("layers." + l + ".bias");
    }
    for (int k = 0; k < params.headWeights.length; k++) {
      names.add("head.weights[" + k + "]");
    }
    names.add("head.bias");
    return names;
  }

  public static CategoricalModel model(Random random, RecurrentLayer... layers) {
    List<String> symbols = new ArrayList<>();
    symbols.add(Vocabulary.DEFAULT_UNKNOWN);
    for (int s = 1; s < VOCABULARY; s++) {
      symbols.add("s" + s);
    }
    int top = layers[layers.length - 1].hiddenSize();
    return new CategoricalModel(
        ModelInfo.first("check", Instant.EPOCH),
        new Vocabulary(symbols, Vocabulary.DEFAULT_UNKNOWN),
        new Embedding(randomMatrix(random, VOCABULARY, EMBEDDING, 0.8)),
        List.of(layers),
        new DenseLayer(randomMatrix(random, top, VOCABULARY), randomVector(random, VOCABULARY)));
  }

  public static RnnLayer rnn(Random random, int in, int hidden, Activation act) {
    return new RnnLayer(
        randomMatrix(random, in, hidden),
        randomMatrix(random, hidden, hidden),
        randomVector(random, hidden),
        act);
  }

  static LstmLayer lstm(Random random, int in, int hidden) {
    return BpttGradientCheckTest.randomLayer(
        random, in, hidden, Activation.TANH, Activation.SIGMOID);
  }

  private static int[][] randomSymbols(Random random, int steps) {
    int[][] x = new int[SEQUENCES][steps];
    for (int s = 0; s < SEQUENCES; s++) {
      for (int t = 0; t < steps; t++) {
        x[s][t] = random.nextInt(VOCABULARY);
      }
    }
    return x;
  }

  private static LstmState[] randomStates(Random random, CategoricalModel model) {
    LstmState[] states = new LstmState[SEQUENCES];
    for (int s = 0; s < SEQUENCES; s++) {
      float[] c = randomVector(random, model.stateSize());
      // Only LSTM layers have a cell; an RNN layer's share stays zero, as a stepper leaves it.
      for (int l = 0; l < model.layers().size(); l++) {
        if (model.layers().get(l).cellType() == CellType.RNN) {
          java.util.Arrays.fill(
              c,
              model.stateOffset(l),
              model.stateOffset(l) + model.layers().get(l).hiddenSize(),
              0f);
        }
      }
      states[s] = new LstmState(randomVector(random, model.stateSize()), c);
    }
    return states;
  }

  private static LstmState[] zeroStates(CategoricalModel model) {
    return ReferenceStates.of(SEQUENCES, model::newState);
  }
}
