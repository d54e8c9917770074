package io.flinklstm.model.bptt;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.kernel.Stepper;
import io.flinklstm.model.kernel.SteppersForTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The analytic BPTT gradients against central finite differences of an independent double-precision
 * forward pass ({@link DoubleReference}), for every parameter tensor, the inputs and the initial
 * state, within one chunk and across a truncated-BPTT chunk boundary, on every training kernel.
 */
class BpttGradientCheckTest {
  private static final int INPUTS = 3;
  private static final int SEQUENCES = 2;
  private static final int STEPS = 5;
  private static final double EPS = 1e-5;
  private static final double REL_TOL = 2e-3;
  private static final double ABS_TOL = 2e-5;

  static List<BpttKernel> kernels() {
    BpttKernel vector = BpttKernels.vectorOrNull();
    if (vector == null) {
      throw new IllegalStateException("tests run with --add-modules jdk.incubator.vector");
    }
    return List.of(BpttKernels.scalar(), vector);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void everyParameterTensorOfATwoLayerStack(BpttKernel kernel) {
    checkAllParameters(model(new Random(1), Activation.TANH, Activation.SIGMOID), kernel);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void otherActivations(BpttKernel kernel) {
    checkAllParameters(model(new Random(2), Activation.RELU, Activation.HARD_SIGMOID), kernel);
    checkAllParameters(model(new Random(3), Activation.IDENTITY, Activation.SIGMOID), kernel);
  }

  /** Hidden sizes past one vector, with a tail, so the vector gate loops run too. */
  @ParameterizedTest
  @MethodSource("kernels")
  void widerLayers(BpttKernel kernel) {
    Random random = new Random(8);
    LstmLayer first = randomLayer(random, INPUTS, 17, Activation.TANH, Activation.SIGMOID, 0.3);
    LstmLayer second = randomLayer(random, 17, 16, Activation.TANH, Activation.SIGMOID, 0.3);
    DenseLayer head =
        new DenseLayer(randomMatrix(random, 16, INPUTS, 0.3), randomVector(random, INPUTS, 0.3));
    checkAllParameters(
        new LstmModel(
            ModelInfo.first("wide", Instant.EPOCH),
            Normalizer.identity(INPUTS),
            List.of(first, second),
            head),
        kernel);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void inputAndInitialStateGradients(BpttKernel kernel) {
    Random random = new Random(4);
    LstmModel model = model(random, Activation.TANH, Activation.SIGMOID);
    Parameters params = Parameters.of(model);
    float[][][] x = randomSequences(random, STEPS, INPUTS);
    float[][][] y = randomSequences(random, STEPS, INPUTS);
    LstmState[] start = randomStates(random, model);
    Bptt bptt = new Bptt(params, kernel);
    bptt.forward(x, y, ReferenceStates.copies(start));
    bptt.backward(params.zerosLike());

    DoubleReference ref = new DoubleReference(params);
    double[][] p = DoubleReference.toDouble(params.arrays());
    double[][][] xd = toDouble(x);
    double[][][] yd = toDouble(y);
    for (int s = 0; s < SEQUENCES; s++) {
      for (int t = 0; t < STEPS; t++) {
        for (int k = 0; k < INPUTS; k++) {
          int ss = s, tt = t, kk = k;
          double numeric =
              centralDifference(
                  xd[ss][tt],
                  kk,
                  unused ->
                      ref.loss(
                          p, xd, yd, ref.fromStates(start, false), ref.fromStates(start, true)));
          assertClose(
              "dx[" + s + "][" + t + "][" + k + "]", bptt.inputGradients()[s][t][k], numeric);
        }
      }
    }
    for (int s = 0; s < SEQUENCES; s++) {
      for (int j = 0; j < model.stateSize(); j++) {
        for (boolean cell : new boolean[] {false, true}) {
          int ss = s, jj = j;
          double numeric = numericStateGradient(ref, p, xd, yd, start, ss, jj, cell);
          LstmState g = bptt.initialStateGradients()[s];
          float analytic = cell ? g.c()[j] : g.h()[j];
          assertClose((cell ? "dc0" : "dh0") + "[" + s + "][" + j + "]", analytic, numeric);
        }
      }
    }
  }

  /**
   * Two chunks: the second starts from the state the first left. Backward through the second, then
   * through the first with the second's initial-state gradient, must equal the derivative of the
   * sum of both chunks' losses, in which the second loss depends on the weights also through the
   * carried state.
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void chunksComposeAcrossTheBoundary(BpttKernel kernel) {
    Random random = new Random(5);
    LstmModel model = model(random, Activation.TANH, Activation.SIGMOID);
    Parameters params = Parameters.of(model);
    float[][][] x1 = randomSequences(random, STEPS, INPUTS);
    float[][][] y1 = randomSequences(random, STEPS, INPUTS);
    float[][][] x2 = randomSequences(random, 4, INPUTS);
    float[][][] y2 = randomSequences(random, 4, INPUTS);

    LstmState[] state = ReferenceStates.copies(zeroStates(model));
    Bptt first = new Bptt(params, kernel);
    Bptt second = new Bptt(params, kernel);
    first.forward(x1, y1, state);
    LstmState[] carried = ReferenceStates.copies(state);
    second.forward(x2, y2, state);
    Parameters grads = params.zerosLike();
    second.backward(grads);

    // The second chunk alone, with the carried state held fixed: the truncated gradient.
    DoubleReference ref = new DoubleReference(params);
    compareAll(
        grads,
        params,
        p ->
            ref.loss(
                p,
                toDouble(x2),
                toDouble(y2),
                ref.fromStates(carried, false),
                ref.fromStates(carried, true)));

    // Then through the boundary.
    first.backward(grads, second.initialStateGradients());
    compareAll(
        grads,
        params,
        p -> {
          double[][][] h = ref.zeroStates(SEQUENCES);
          double[][][] c = ref.zeroStates(SEQUENCES);
          return ref.loss(p, toDouble(x1), toDouble(y1), h, c)
              + ref.loss(p, toDouble(x2), toDouble(y2), h, c);
        });
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void forwardCarriesStateAsTheStepperDoes(BpttKernel kernel) {
    Random random = new Random(6);
    LstmModel model = model(random, Activation.TANH, Activation.SIGMOID);
    float[][][] x = randomSequences(random, STEPS, INPUTS);
    LstmState[] viaBptt = ReferenceStates.copies(zeroStates(model));
    new Bptt(Parameters.of(model), kernel).forward(x, x, viaBptt);
    Stepper stepper = SteppersForTest.scalar(model);
    for (int s = 0; s < SEQUENCES; s++) {
      LstmState state = model.newState();
      for (int t = 0; t < STEPS; t++) {
        stepper.stepNormalized(state, x[s][t]);
      }
      for (int j = 0; j < model.stateSize(); j++) {
        assertThat(viaBptt[s].h()[j])
            .isCloseTo(state.h()[j], org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(viaBptt[s].c()[j])
            .isCloseTo(state.c()[j], org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
  }

  private void checkAllParameters(LstmModel model, BpttKernel kernel) {
    Random random = new Random(7);
    Parameters params = Parameters.of(model);
    float[][][] x = randomSequences(random, STEPS, INPUTS);
    float[][][] y = randomSequences(random, STEPS, INPUTS);
    LstmState[] start = randomStates(random, model);
    Parameters grads = params.zerosLike();
    Bptt bptt = new Bptt(params, kernel);
    bptt.forward(x, y, ReferenceStates.copies(start));
    bptt.backward(grads);
    DoubleReference ref = new DoubleReference(params);
    compareAll(
        grads,
        params,
        p ->
            ref.loss(
                p,
                toDouble(x),
                toDouble(y),
                ref.fromStates(start, false),
                ref.fromStates(start, true)));
  }

  /** Every entry of every parameter array, analytic against numeric. */
  private static void compareAll(
      Parameters grads, Parameters params, ToDoubleFunction<double[][]> loss) {
    double[][] p = DoubleReference.toDouble(params.arrays());
    List<float[]> analytic = grads.arrays();
    List<String> names = tensorNames(params);
    int checked = 0;
    for (int a = 0; a < p.length; a++) {
      for (int j = 0; j < p[a].length; j++) {
        double numeric = centralDifference(p[a], j, unused -> loss.applyAsDouble(p));
        assertClose(names.get(a) + "[" + j + "]", analytic.get(a)[j], numeric);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(params.size());
  }

  private static double centralDifference(double[] values, int index, ToDoubleFunction<Void> loss) {
    double saved = values[index];
    values[index] = saved + EPS;
    double plus = loss.applyAsDouble(null);
    values[index] = saved - EPS;
    double minus = loss.applyAsDouble(null);
    values[index] = saved;
    return (plus - minus) / (2 * EPS);
  }

  private static double numericStateGradient(
      DoubleReference ref,
      double[][] p,
      double[][][] x,
      double[][][] y,
      LstmState[] start,
      int sequence,
      int index,
      boolean cell) {
    double[] signs = {EPS, -EPS};
    double[] losses = new double[2];
    for (int k = 0; k < 2; k++) {
      LstmState[] shifted = ReferenceStates.copies(start);
      float[] target = cell ? shifted[sequence].c() : shifted[sequence].h();
      double[][][] h = ref.fromStates(shifted, false);
      double[][][] c = ref.fromStates(shifted, true);
      int layer = 0;
      int local = index;
      while (local >= h[sequence][layer].length) {
        local -= h[sequence][layer].length;
        layer++;
      }
      (cell ? c : h)[sequence][layer][local] = target[index] + signs[k];
      losses[k] = ref.loss(p, x, y, h, c);
    }
    return (losses[0] - losses[1]) / (2 * EPS);
  }

  private static void assertClose(String what, float analytic, double numeric) {
    double tolerance = ABS_TOL + REL_TOL * Math.max(Math.abs(analytic), Math.abs(numeric));
    assertThat((double) analytic)
        .as("%s: analytic %s, finite difference %s", what, analytic, numeric)
        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(tolerance));
  }

  private static List<String> tensorNames(Parameters params) {
    List<String> names = new ArrayList<>();
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

  /** Two layers (H = 4, then 5) and a head back to the 3 inputs, small random weights. */
  static LstmModel model(Random random, Activation act, Activation rec) {
    LstmLayer first = randomLayer(random, INPUTS, 4, act, rec);
    LstmLayer second = randomLayer(random, 4, 5, act, rec);
    DenseLayer head = new DenseLayer(randomMatrix(random, 5, INPUTS), randomVector(random, INPUTS));
    return new LstmModel(
        ModelInfo.first("check", Instant.EPOCH),
        Normalizer.identity(INPUTS),
        List.of(first, second),
        head);
  }

  static LstmLayer randomLayer(Random random, int in, int hidden, Activation act, Activation rec) {
    return randomLayer(random, in, hidden, act, rec, 0.6);
  }

  static LstmLayer randomLayer(
      Random random, int in, int hidden, Activation act, Activation rec, double scale) {
    return new LstmLayer(
        randomMatrix(random, in, 4 * hidden, scale),
        randomMatrix(random, hidden, 4 * hidden, scale),
        randomVector(random, 4 * hidden, scale),
        act,
        rec);
  }

  static float[][] randomMatrix(Random random, int rows, int cols) {
    return randomMatrix(random, rows, cols, 0.6);
  }

  static float[][] randomMatrix(Random random, int rows, int cols, double scale) {
    float[][] m = new float[rows][];
    for (int r = 0; r < rows; r++) {
      m[r] = randomVector(random, cols, scale);
    }
    return m;
  }

  static float[] randomVector(Random random, int size) {
    return randomVector(random, size, 0.6);
  }

  static float[] randomVector(Random random, int size, double scale) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return v;
  }

  private static float[][][] randomSequences(Random random, int steps, int size) {
    float[][][] x = new float[SEQUENCES][steps][];
    for (int s = 0; s < SEQUENCES; s++) {
      for (int t = 0; t < steps; t++) {
        x[s][t] = randomVector(random, size);
      }
    }
    return x;
  }

  private static LstmState[] randomStates(Random random, LstmModel model) {
    LstmState[] states = new LstmState[SEQUENCES];
    for (int s = 0; s < SEQUENCES; s++) {
      states[s] =
          new LstmState(
              randomVector(random, model.stateSize()), randomVector(random, model.stateSize()));
    }
    return states;
  }

  private static LstmState[] zeroStates(LstmModel model) {
    return ReferenceStates.of(SEQUENCES, model::newState);
  }

  private static double[][][] toDouble(float[][][] x) {
    double[][][] out = new double[x.length][][];
    for (int s = 0; s < x.length; s++) {
      out[s] = DoubleReference.toDouble(List.of(x[s]));
    }
    return out;
  }
}
