package io.flinklstm.evaluate;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps a key's anomaly score only where it rises above every score of the key's previous {@code
 * rows} rows, and sets it to 0 elsewhere; online, since each row looks back only.
 *
 * <p>Why: the anomaly likelihood stays high for a while once a key's errors turn unusual, and NAB
 * counts only the first detection in a window while charging every further alarm outside it as a
 * false positive. An operator would not want the same alarm raised on every row of a run either.
 */
public final class AlarmSuppression {
  private AlarmSuppression() {}

  /**
   * @param scores one key's anomaly scores in row order
   * @param rows how far back a row looks; 0 returns the scores unchanged
   */
  public static double[] apply(double[] scores, int rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("--suppress-rows must not be negative, was " + rows);
    }
    if (rows == 0) {
      return scores.clone();
    }
    double[] out = new double[scores.length];
    // Indices of the previous rows whose scores decrease from the head: the head is their max.
    Deque<Integer> window = new ArrayDeque<>();
    for (int i = 0; i < scores.length; i++) {
      while (!window.isEmpty() && window.peekFirst() < i - rows) {
        window.pollFirst();
      }
      double recentMax = window.isEmpty() ? Double.NEGATIVE_INFINITY : scores[window.peekFirst()];
      out[i] = scores[i] > recentMax ? scores[i] : 0.0;
      while (!window.isEmpty() && scores[window.peekLast()] <= scores[i]) {
        window.pollLast();
      }
      window.addLast(i);
    }
    return out;
  }
}
