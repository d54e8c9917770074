package io.flinklstm.model.bptt;

import io.flinklstm.model.Activation;
import io.flinklstm.model.LstmState;
import java.util.List;

/**
 * An independent double-precision forward pass of a stacked LSTM with a dense head, written
 * straight from the equations with exact {@link Math#tanh} and {@link Math#exp}: the function that
 * finite differences differentiate in the gradient checks.
 *
 * <p>Parameters are a list of double arrays in the order of {@link Parameters#arrays()}.
 */
final class DoubleReference {
  private final int[] inputSizes;
  private final int[] hiddenSizes;
  private final Activation[] act;
  private final Activation[] rec;
  private final int outputs;

  DoubleReference(Parameters shape) {
    int layers = shape.layers.length;
    inputSizes = new int[layers];
    hiddenSizes = new int[layers];
    act = new Activation[layers];
    rec = new Activation[layers];
    for (int l = 0; l < layers; l++) {
      inputSizes[l] = shape.layers[l].inputSize();
      hiddenSizes[l] = shape.layers[l].hiddenSize();
      act[l] = shape.layers[l].activation;
      rec[l] = shape.layers[l].recurrentActivation;
    }
    outputs = shape.headBias.length;
  }

  static double[][] toDouble(List<float[]> arrays) {
    double[][] out = new double[arrays.size()][];
    for (int i = 0; i < out.length; i++) {
      float[] a = arrays.get(i);
      out[i] = new double[a.length];
      for (int j = 0; j < a.length; j++) {
        out[i][j] = a[j];
      }
    }
    return out;
  }

  /**
   * The mean squared error of one chunk from the given initial states, which are replaced by the
   * final ones. h and c are [sequence][layer][unit].
   */
  double loss(double[][] p, double[][][] x, double[][][] target, double[][][] h, double[][][] c) {
    int count = x.length;
    int steps = x[0].length;
    double sum = 0;
    for (int s = 0; s < count; s++) {
      for (int t = 0; t < steps; t++) {
        double[] in = x[s][t];
        int at = 0;
        for (int l = 0; l < hiddenSizes.length; l++) {
          int hSize = hiddenSizes[l];
          double[] z = new double[4 * hSize];
          double[] bias = p[at + inputSizes[l] + hSize];
          System.arraycopy(bias, 0, z, 0, z.length);
          for (int k = 0; k < inputSizes[l]; k++) {
            for (int j = 0; j < z.length; j++) {
              z[j] += in[k] * p[at + k][j];
            }
          }
          for (int k = 0; k < hSize; k++) {
            for (int j = 0; j < z.length; j++) {
              z[j] += h[s][l][k] * p[at + inputSizes[l] + k][j];
            }
          }
          double[] next = new double[hSize];
          for (int j = 0; j < hSize; j++) {
            double i = apply(rec[l], z[j]);
            double f = apply(rec[l], z[hSize + j]);
            double g = apply(act[l], z[2 * hSize + j]);
            double o = apply(rec[l], z[3 * hSize + j]);
            c[s][l][j] = f * c[s][l][j] + i * g;
            next[j] = o * apply(act[l], c[s][l][j]);
          }
          h[s][l] = next;
          in = next;
          at += inputSizes[l] + hSize + 1;
        }
        for (int o = 0; o < outputs; o++) {
          double y = p[at + in.length][o];
          for (int k = 0; k < in.length; k++) {
            y += in[k] * p[at + k][o];
          }
          double diff = y - target[s][t][o];
          sum += diff * diff;
        }
      }
    }
    return sum / ((double) count * steps * outputs);
  }

  double[][][] zeroStates(int count) {
    return ReferenceStates.zero(hiddenSizes, count);
  }

  /** Splits flat LstmStates into [sequence][layer][unit]. */
  double[][][] fromStates(LstmState[] states, boolean cell) {
    return ReferenceStates.split(hiddenSizes, states, cell);
  }

  private static double apply(Activation a, double x) {
    return ReferenceStates.activate(a, x);
  }
}
