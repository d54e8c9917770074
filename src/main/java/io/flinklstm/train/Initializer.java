package io.flinklstm.train;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.TimeFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The weights of a model trained from scratch, as a fresh Keras {@code LSTM} + {@code Dense} has
 * them:
 *
 * <ul>
 *   <li>input weights Wx (D × 4H) and the head's W (H × O): Glorot uniform (Glorot and Bengio,
 *       AISTATS 2010), U(−l, l) with l = √(6 / (fan_in + fan_out)), which keeps the variance of
 *       activations and gradients about equal from layer to layer;
 *   <li>recurrent weights Wh (H × 4H): orthogonal rows (Saxe, McClelland and Ganguli, ICLR 2014),
 *       so that repeated multiplication by Wh through time neither grows nor shrinks a vector;
 *   <li>biases zero, except the forget gate's, which is 1 (Jozefowicz, Zaremba and Sutskever, ICML
 *       2015; Keras' {@code unit_forget_bias}): a fresh cell starts by remembering, so gradients
 *       reach back through the window from the first update on.
 * </ul>
 *
 * Activations are tanh and sigmoid. Deterministic for a given seed.
 */
public final class Initializer {
  private Initializer() {}

  /**
   * A fresh model without time inputs.
   *
   * @param hiddenSize H of each of {@code layers} stacked layers
   * @throws IllegalArgumentException if a size is below 1
   */
  public static LstmModel fresh(
      ModelInfo info, Normalizer normalizer, int hiddenSize, int layers, long seed) {
    return fresh(info, normalizer, TimeFeatures.NONE, hiddenSize, layers, seed);
  }

  /**
   * A fresh model whose steps take the {@code time} inputs after their values.
   *
   * @param hiddenSize H of each of {@code layers} stacked layers
   * @throws IllegalArgumentException if a size is below 1
   */
  public static LstmModel fresh(
      ModelInfo info,
      Normalizer normalizer,
      TimeFeatures time,
      int hiddenSize,
      int layers,
      long seed) {
    TrainerConfig.requireAtLeast("hidden size", hiddenSize, 1);
    TrainerConfig.requireAtLeast("layers", layers, 1);
    SplittableRandom random = new SplittableRandom(seed);
    int inputs = normalizer.size();
    List<LstmLayer> built = new ArrayList<>();
    int below = inputs + time.width();
    for (int l = 0; l < layers; l++) {
      int gates = 4 * hiddenSize;
      float[] bias = new float[gates];
      java.util.Arrays.fill(bias, hiddenSize, 2 * hiddenSize, 1f);
      built.add(
          new LstmLayer(
              glorotUniform(random, below, gates),
              orthogonalRows(random, hiddenSize, gates),
              bias,
              Activation.TANH,
              Activation.SIGMOID));
      below = hiddenSize;
    }
    DenseLayer head = new DenseLayer(glorotUniform(random, hiddenSize, inputs), new float[inputs]);
    return new LstmModel(info, normalizer, InputScaling.NONE, time, built, head);
  }

  /** rows × cols, U(−l, l) with l = √(6 / (rows + cols)). */
  static float[][] glorotUniform(SplittableRandom random, int rows, int cols) {
    double limit = Math.sqrt(6.0 / (rows + cols));
    float[][] w = new float[rows][cols];
    for (float[] row : w) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) ((2 * random.nextDouble() - 1) * limit);
      }
    }
    return w;
  }

  /**
   * rows × cols (rows ≤ cols) with orthonormal rows: Gram-Schmidt, in double, on Gaussian rows. A
   * row that comes out degenerate (probability zero) is drawn again.
   */
  static float[][] orthogonalRows(SplittableRandom random, int rows, int cols) {
    if (rows > cols) {
      throw new IllegalArgumentException(
          "orthogonal rows need rows <= cols, was " + rows + " x " + cols);
    }
    double[][] q = new double[rows][];
    for (int r = 0; r < rows; r++) {
      double[] v;
      double norm;
      do {
        v = new double[cols];
        for (int j = 0; j < cols; j++) {
          v[j] = gaussian(random);
        }
        // Modified Gram-Schmidt: subtract the projections one at a time, for numerical stability.
        for (int p = 0; p < r; p++) {
          double dot = 0;
          for (int j = 0; j < cols; j++) {
            dot += v[j] * q[p][j];
          }
          for (int j = 0; j < cols; j++) {
            v[j] -= dot * q[p][j];
          }
        }
        norm = 0;
        for (double x : v) {
          norm += x * x;
        }
        norm = Math.sqrt(norm);
      } while (norm < 1e-6);
      for (int j = 0; j < cols; j++) {
        v[j] /= norm;
      }
      q[r] = v;
    }
    float[][] w = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        w[r][j] = (float) q[r][j];
      }
    }
    return w;
  }

  /** A standard normal draw (Box-Muller); SplittableRandom has none on Java 17. */
  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
