package io.flinklstm.detect;

/** The upper tail of the chi-square distribution with a whole number of degrees of freedom. */
public final class ChiSquare {
  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

  private ChiSquare() {}

  /**
   * P(X > x) for X ~ χ²(k), by the closed forms for whole k: for even k, e^(−x/2) Σ_{j<k/2} (x/2)^j
   * / j!; for odd k, 2·Q(√x) plus e^(−x/2) Σ_{j=1}^{(k−1)/2} (x/2)^(j−1/2) / Γ(j + 1/2). Relative
   * precision of {@link Gaussian#upperTail} or better; 1 for x ≤ 0, 0 for x = ∞.
   *
   * @param x the value, NaN gives NaN
   * @param k degrees of freedom, at least 1
   */
  public static double upperTail(double x, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("degrees of freedom must be at least 1, was " + k);
    }
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x <= 0) {
      return 1.0;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return 0.0;
    }
    double half = x / 2;
    double sum;
    double term;
    int terms;
    if ((k & 1) == 0) {
      term = 1.0; // (x/2)^0 / 0!
      sum = 1.0;
      terms = k / 2 - 1;
      for (int j = 1; j <= terms; j++) {
        term *= half / j;
        sum += term;
      }
      return Math.min(1.0, Math.exp(-half) * sum);
    }
    double tail = 2 * Gaussian.upperTail(Math.sqrt(x));
    terms = (k - 1) / 2;
    if (terms == 0) {
      return tail;
    }
    term = SQRT_2_OVER_PI * Math.sqrt(x); // (x/2)^(1/2) / Γ(3/2)
    sum = term;
    for (int j = 2; j <= terms; j++) {
      term *= half / (j - 0.5);
      sum += term;
    }
    return Math.min(1.0, tail + Math.exp(-half) * sum);
  }
}
