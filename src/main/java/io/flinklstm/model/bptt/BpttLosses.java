package io.flinklstm.model.bptt;

/**
 * The two losses {@link Bptt} trains on, one step of a chunk at a time: each adds up its loss terms
 * over the N rows of the head's output y and writes the head's δ = ∂(mean loss)/∂y into dy. Rows
 * have stride {@code op}; the mean is over the chunk's N·T steps (and O outputs for the squared
 * error).
 */
final class BpttLosses {
  private BpttLosses() {}

  /** Σ (y − target)² of step t; δ = 2(y − target)/(N·T·O). */
  static double squaredError(
      float[] y, int op, int n, int steps, int outputs, float[][][] target, int t, float[] dy) {
    float scale = 2f / ((float) n * steps * outputs);
    double sum = 0;
    for (int s = 0; s < n; s++) {
      float[] want = target[s][t];
      for (int o = 0; o < outputs; o++) {
        float diff = y[s * op + o] - want[o];
        sum += (double) diff * diff;
        dy[s * op + o] = scale * diff;
      }
    }
    return sum;
  }

  /**
   * Σ −log softmax(y)[target] of step t, the softmax shifted by the row's maximum so nothing
   * overflows; δ = (softmax(y) − onehot(target))/(N·T).
   *
   * @throws IllegalArgumentException if a target is outside [0, O)
   */
  static double crossEntropy(
      float[] y, int op, int n, int steps, int outputs, int[][] classes, int t, float[] dy) {
    double scale = 1.0 / ((double) n * steps);
    double sum = 0;
    for (int s = 0; s < n; s++) {
      int row = s * op;
      int want = classes[s][t];
      if (want < 0 || want >= outputs) {
        throw new IllegalArgumentException(
            "target [" + s + "][" + t + "] is " + want + ", outside the " + outputs + " classes");
      }
      float max = Float.NEGATIVE_INFINITY;
      for (int o = 0; o < outputs; o++) {
        max = Math.max(max, y[row + o]);
      }
      double total = 0;
      for (int o = 0; o < outputs; o++) {
        double e = Math.exp(y[row + o] - max);
        dy[row + o] = (float) e;
        total += e;
      }
      sum += max + Math.log(total) - y[row + want];
      double norm = scale / total;
      for (int o = 0; o < outputs; o++) {
        dy[row + o] = (float) (dy[row + o] * norm);
      }
      dy[row + want] -= (float) scale;
    }
    return sum;
  }
}
