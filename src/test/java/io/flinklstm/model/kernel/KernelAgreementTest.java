package io.flinklstm.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector kernel computes what the scalar kernel computes, and {@link Stepper#stepBatch} what
 * repeated {@link Stepper#step} computes, on random models: hidden sizes on and off the vector
 * length, several layers, and batch sizes around the kernels' key tiles.
 */
class KernelAgreementTest {
  /** Absolute up to magnitude 1, relative beyond: ReLU and identity layers are unbounded. */
  private static final float TOLERANCE = 1e-6f;

  private static final int STEPS = 6;
  private static final int[] BATCH_SIZES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 64};

  /** Input size, then the hidden sizes of the layers. */
  private static final int[][] SHAPES = {
    {1, 1},
    {8, 3},
    {8, 16},
    {5, 17},
    {8, 32},
    {8, 64},
    {1, 64},
    {38, 50},
    {38, 128},
    {3, 20, 64},
    {8, 64, 33, 16}
  };

  @Test
  void vectorAndScalarKernelsAgree() {
    for (int[] shape : SHAPES) {
      for (Activation[] acts : activationPairs()) {
        LstmModel model = randomModel(shape, acts[0], acts[1], 7);
        Stepper scalar = new Stepper(model, Kernels.scalar());
        Stepper vector = new Stepper(model, Kernels.vectorOrNull());
        LstmState s = model.newState();
        LstmState v = model.newState();
        float[][] inputs = randomInputs(model.inputSize(), STEPS, 11);
        for (int t = 0; t < STEPS; t++) {
          String what = describe(shape, acts) + " step " + t;
          float[] ps = scalar.step(s, inputs[t]).clone();
          float[] pv = vector.step(v, inputs[t]);
          assertClose(pv, ps, model.inputSize(), what + " prediction");
          assertClose(v.h(), s.h(), s.size(), what + " h");
          assertClose(v.c(), s.c(), s.size(), what + " c");
        }
      }
    }
  }

  @Test
  void stepBatchEqualsRepeatedStep() {
    for (LstmKernel kernel : KernelsForTest.all()) {
      for (int[] shape : SHAPES) {
        LstmModel model = randomModel(shape, Activation.TANH, Activation.SIGMOID, 3);
        for (int n : BATCH_SIZES) {
          checkBatch(kernel, model, n, kernel.name() + " " + describe(shape, null) + " n=" + n);
        }
      }
    }
  }

  private static void checkBatch(LstmKernel kernel, LstmModel model, int n, String what) {
    Stepper one = new Stepper(model, kernel);
    Stepper batch = new Stepper(model, kernel);
    LstmState[] single = new LstmState[n];
    LstmState[] batched = new LstmState[n];
    float[][] predictions = new float[n][model.inputSize()];
    for (int b = 0; b < n; b++) {
      single[b] = model.newState();
      batched[b] = model.newState();
    }
    for (int t = 0; t < STEPS; t++) {
      float[][] inputs = randomInputs(model.inputSize(), n, 100 + t);
      batch.stepBatch(batched, inputs, n, predictions);
      for (int b = 0; b < n; b++) {
        float[] p = one.step(single[b], inputs[b]);
        String at = what + " key " + b + " step " + t;
        assertClose(predictions[b], p, model.inputSize(), at + " prediction");
        assertClose(batched[b].h(), single[b].h(), single[b].size(), at + " h");
        assertClose(batched[b].c(), single[b].c(), single[b].size(), at + " c");
      }
    }
  }

  /**
   * Activation and recurrent activation. Not identity: without squashing, rounding differences grow
   * step by step, and SeedVectorTest covers that case exactly.
   */
  private static List<Activation[]> activationPairs() {
    List<Activation[]> pairs = new ArrayList<>();
    pairs.add(new Activation[] {Activation.TANH, Activation.SIGMOID});
    pairs.add(new Activation[] {Activation.RELU, Activation.HARD_SIGMOID});
    return pairs;
  }

  private static void assertClose(float[] actual, float[] expected, int n, String what) {
    for (int i = 0; i < n; i++) {
      float tolerance = TOLERANCE * Math.max(1f, Math.abs(expected[i]));
      assertThat(actual[i]).as(what + " [" + i + "]").isCloseTo(expected[i], within(tolerance));
    }
  }

  /** Weights scaled like Keras' Glorot initialisation, so the states stay in a realistic range. */
  static LstmModel randomModel(int[] shape, Activation act, Activation rec, long seed) {
    Random random = new Random(seed);
    List<LstmLayer> layers = new ArrayList<>();
    for (int l = 1; l < shape.length; l++) {
      int d = shape[l - 1];
      int h = shape[l];
      float scale = (float) (1 / Math.sqrt(d + h));
      layers.add(
          new LstmLayer(
              matrix(random, d, 4 * h, scale),
              matrix(random, h, 4 * h, scale),
              matrix(random, 1, 4 * h, 0.5f)[0],
              act,
              rec));
    }
    int last = shape[shape.length - 1];
    DenseLayer head =
        new DenseLayer(matrix(random, last, shape[0], 0.3f), matrix(random, 1, shape[0], 0.1f)[0]);
    return new LstmModel(
        ModelInfo.first("agreement", Instant.EPOCH), Normalizer.identity(shape[0]), layers, head);
  }

  private static float[][] randomInputs(int d, int n, long seed) {
    return matrix(new Random(seed), n, d, 1.5f);
  }

  private static float[][] matrix(Random random, int rows, int cols, float scale) {
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) random.nextGaussian() * scale;
      }
    }
    return m;
  }

  private static String describe(int[] shape, Activation[] acts) {
    StringBuilder s = new StringBuilder(java.util.Arrays.toString(shape));
    if (acts != null) {
      s.append(' ').append(acts[0].id()).append('/').append(acts[1].id());
    }
    return s.toString();
  }
}
