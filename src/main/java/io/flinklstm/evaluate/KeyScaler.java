package io.flinklstm.evaluate;

/**
 * Brings one key's values to a common scale before they reach a model shared by keys of very
 * different scales, online: each value is standardised with the mean and deviation of the key's
 * values so far, and the statistics are frozen after {@code learnRows} values (NAB's probationary
 * period), so that later anomalies do not move the scale they are judged on.
 *
 * <p>The deviation is floored at {@value #MIN_STD_FRACTION} of the mean's magnitude (and at {@value
 * #MIN_STD}), so a constant series maps to 0 and not to infinity; standardised values are clipped
 * to ±{@value #CLIP}.
 */
public final class KeyScaler {
  static final double MIN_STD = 1e-6;
  static final double MIN_STD_FRACTION = 1e-3;
  static final double CLIP = 10;

  private final int learnRows;
  private long n;
  private double mean;
  private double m2;

  /**
   * @param learnRows the values the statistics learn from; the rest use them frozen
   */
  public KeyScaler(int learnRows) {
    if (learnRows < 1) {
      throw new IllegalArgumentException("learnRows must be at least 1, was " + learnRows);
    }
    this.learnRows = learnRows;
  }

  /** Takes the key's next value and returns it standardised. */
  public float next(double value) {
    if (n < learnRows) {
      n++;
      double delta = value - mean;
      mean += delta / n;
      m2 += delta * (value - mean);
    }
    double std = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
    std = Math.max(std, Math.max(MIN_STD, MIN_STD_FRACTION * Math.abs(mean)));
    double z = (value - mean) / std;
    return (float) Math.max(-CLIP, Math.min(CLIP, z));
  }
}
