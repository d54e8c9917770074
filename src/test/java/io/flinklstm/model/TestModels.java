package io.flinklstm.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small models with fixed, deterministic weights for tests of the model file and the tools that use
 * it. Every weight is a multiple of 1/8, so its float32 value, its bytes and its decimal form are
 * exact and easy to write in an assertion.
 */
public final class TestModels {
  public static final Instant CREATED = Instant.parse("2024-05-01T12:00:00Z");

  private TestModels() {}

  /** One layer, D = 2, H = 3, no metrics. */
  public static LstmModel singleLayer() {
    return build(
        ModelInfo.first("single", CREATED),
        new Normalizer(new float[] {0.5f, -1f}, new float[] {1f, 4f}),
        new int[] {3},
        new Activation[][] {{Activation.TANH, Activation.SIGMOID}});
  }

  /**
   * Two layers, D = 2, H = 3 then 2, version 3 of its name with parent 2 and two metrics: the model
   * of the golden file.
   */
  public static LstmModel twoLayer() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("val_loss", 0.046875);
    metrics.put("train_loss", 0.03125);
    return build(
        new ModelInfo("golden-pump", 3, CREATED, 2, metrics),
        new Normalizer(new float[] {10.5f, -2.25f}, new float[] {2f, 0.5f}),
        new int[] {3, 2},
        new Activation[][] {
          {Activation.TANH, Activation.SIGMOID}, {Activation.RELU, Activation.HARD_SIGMOID}
        });
  }

  /** Layers with the given hidden sizes and (activation, recurrent activation) pairs. */
  public static LstmModel build(
      ModelInfo info, Normalizer normalizer, int[] hidden, Activation[][] activations) {
    int seed = 0;
    List<LstmLayer> layers = new ArrayList<>();
    int in = normalizer.size();
    for (int l = 0; l < hidden.length; l++) {
      int h = hidden[l];
      layers.add(
          new LstmLayer(
              matrix(in, 4 * h, seed++),
              matrix(h, 4 * h, seed++),
              matrix(1, 4 * h, seed++)[0],
              activations[l][0],
              activations[l][1]));
      in = h;
    }
    DenseLayer head =
        new DenseLayer(
            matrix(in, normalizer.size(), seed++), matrix(1, normalizer.size(), seed)[0]);
    return new LstmModel(info, normalizer, layers, head);
  }

  /**
   * The model of the golden categorical file: a vocabulary of five log keys (the out-of-vocabulary
   * entry first), E = 3, an RNN layer (H = 4, tanh) under an LSTM layer (H = 2), a softmax head.
   */
  public static CategoricalModel categorical() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("val_cross_entropy", 0.75);
    int v = 5;
    int e = 3;
    return new CategoricalModel(
        new ModelInfo("golden-log-keys", 2, CREATED, 1, metrics),
        new Vocabulary(List.of("<unk>", "open", "read", "write", "close"), "<unk>"),
        new Embedding(matrix(v, e, 20)),
        List.of(
            new RnnLayer(matrix(e, 4, 21), matrix(4, 4, 22), matrix(1, 4, 23)[0], Activation.TANH),
            new LstmLayer(
                matrix(4, 8, 24),
                matrix(2, 8, 25),
                matrix(1, 8, 26)[0],
                Activation.TANH,
                Activation.SIGMOID)),
        new DenseLayer(matrix(2, v, 27), matrix(1, v, 28)[0]));
  }

  /** Entry [r][c] of the matrix number {@code seed}: (7k + 3·seed) mod 23 − 11, over 8. */
  public static float weight(int seed, int k) {
    return ((7 * k + 3 * seed) % 23 - 11) / 8f;
  }

  private static float[][] matrix(int rows, int cols, int seed) {
    float[][] m = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        m[r][c] = weight(seed, r * cols + c);
      }
    }
    return m;
  }
}
