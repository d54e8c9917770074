package io.flinklstm.model.bptt;

import io.flinklstm.model.Activation;
import io.flinklstm.model.CellType;
import io.flinklstm.model.LstmState;

/**
 * An independent double-precision forward pass of a categorical model (embedding, a stack of LSTM
 * and RNN layers, softmax head) with exact {@link Math#tanh} and {@link Math#exp}, written from the
 * equations: the function finite differences differentiate in the categorical gradient checks.
 *
 * <p>Parameters are double arrays in the order of {@link Parameters#arrays()}; states are
 * [sequence][layer][unit], as {@link DoubleReference}'s.
 */
final class CategoricalDoubleReference {
  private final int vocabulary;
  private final CellType[] cells;
  private final int[] inputSizes;
  private final int[] hiddenSizes;
  private final Activation[] act;
  private final Activation[] rec;

  CategoricalDoubleReference(Parameters shape) {
    vocabulary = shape.embedding.length;
    int layers = shape.layers.length;
    cells = new CellType[layers];
    inputSizes = new int[layers];
    hiddenSizes = new int[layers];
    act = new Activation[layers];
    rec = new Activation[layers];
    for (int l = 0; l < layers; l++) {
      cells[l] = shape.layers[l].cell;
      inputSizes[l] = shape.layers[l].inputSize();
      hiddenSizes[l] = shape.layers[l].hiddenSize();
      act[l] = shape.layers[l].activation;
      rec[l] = shape.layers[l].recurrentActivation;
    }
  }

  /**
   * Mean cross-entropy of one chunk from the given states, which are replaced by the final ones.
   */
  double loss(double[][] p, int[][] symbols, int[][] targets, double[][][] h, double[][][] c) {
    double sum = 0;
    int steps = symbols[0].length;
    for (int s = 0; s < symbols.length; s++) {
      for (int t = 0; t < steps; t++) {
        double[] logp = step(p, symbols[s][t], h[s], c[s]);
        sum -= logp[targets[s][t]];
      }
    }
    return sum / ((double) symbols.length * steps);
  }

  /** Advances one sequence's h and c by a symbol and returns log p of every next symbol. */
  double[] step(double[][] p, int symbol, double[][] h, double[][] c) {
    double[] in = p[symbol];
    int at = vocabulary;
    for (int l = 0; l < cells.length; l++) {
      int hSize = hiddenSizes[l];
      int blocks = cells[l].blocks();
      double[] z = p[at + inputSizes[l] + hSize].clone();
      for (int k = 0; k < inputSizes[l]; k++) {
        for (int j = 0; j < blocks * hSize; j++) {
          z[j] += in[k] * p[at + k][j];
        }
      }
      for (int k = 0; k < hSize; k++) {
        for (int j = 0; j < blocks * hSize; j++) {
          z[j] += h[l][k] * p[at + inputSizes[l] + k][j];
        }
      }
      double[] next = new double[hSize];
      for (int j = 0; j < hSize; j++) {
        if (cells[l] == CellType.RNN) {
          next[j] = apply(act[l], z[j]);
        } else {
          double i = apply(rec[l], z[j]);
          double f = apply(rec[l], z[hSize + j]);
          double g = apply(act[l], z[2 * hSize + j]);
          double o = apply(rec[l], z[3 * hSize + j]);
          c[l][j] = f * c[l][j] + i * g;
          next[j] = o * apply(act[l], c[l][j]);
        }
      }
      h[l] = next;
      in = next;
      at += inputSizes[l] + hSize + 1;
    }
    double[] y = p[at + in.length].clone();
    for (int k = 0; k < in.length; k++) {
      for (int o = 0; o < y.length; o++) {
        y[o] += in[k] * p[at + k][o];
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double v : y) {
      max = Math.max(max, v);
    }
    double total = 0;
    for (double v : y) {
      total += Math.exp(v - max);
    }
    double logSum = max + Math.log(total);
    for (int o = 0; o < y.length; o++) {
      y[o] -= logSum;
    }
    return y;
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
