package io.flinklstm.model.bptt;

import io.flinklstm.model.Activation;
import io.flinklstm.model.LstmState;

/**
 * What the double-precision references share: per-layer states as [sequence][layer][unit], and the
 * activations from their textbook definitions.
 */
final class ReferenceStates {
  private ReferenceStates() {}

  /** Zero states of {@code count} sequences through layers of the given hidden sizes. */
  static double[][][] zero(int[] hiddenSizes, int count) {
    double[][][] states = new double[count][hiddenSizes.length][];
    for (int s = 0; s < count; s++) {
      for (int l = 0; l < hiddenSizes.length; l++) {
        states[s][l] = new double[hiddenSizes[l]];
      }
    }
    return states;
  }

  /** Splits flat {@link LstmState}s (h, or c when {@code cell}) into [sequence][layer][unit]. */
  static double[][][] split(int[] hiddenSizes, LstmState[] states, boolean cell) {
    double[][][] out = zero(hiddenSizes, states.length);
    for (int s = 0; s < states.length; s++) {
      float[] flat = cell ? states[s].c() : states[s].h();
      int off = 0;
      for (int l = 0; l < hiddenSizes.length; l++) {
        for (int j = 0; j < hiddenSizes[l]; j++) {
          out[s][l][j] = flat[off + j];
        }
        off += hiddenSizes[l];
      }
    }
    return out;
  }

  /** {@code count} states from {@code fresh}, such as a model's zero state. */
  static LstmState[] of(int count, java.util.function.Supplier<LstmState> fresh) {
    LstmState[] states = new LstmState[count];
    for (int s = 0; s < count; s++) {
      states[s] = fresh.get();
    }
    return states;
  }

  /** Deep copies. */
  static LstmState[] copies(LstmState[] states) {
    LstmState[] out = new LstmState[states.length];
    for (int s = 0; s < states.length; s++) {
      out[s] = states[s].copy();
    }
    return out;
  }

  /** The activation in double precision, from its definition. */
  static double activate(Activation a, double x) {
    switch (a) {
      case SIGMOID:
        return 1.0 / (1.0 + Math.exp(-x));
      case HARD_SIGMOID:
        return Math.max(0.0, Math.min(1.0, x / 6.0 + 0.5));
      case TANH:
        return Math.tanh(x);
      case RELU:
        return Math.max(0.0, x);
      case IDENTITY:
      default:
        return x;
    }
  }
}
