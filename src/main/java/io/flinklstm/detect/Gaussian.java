package io.flinklstm.detect;

/** The standard normal distribution's cumulative distribution function. */
public final class Gaussian {
  private Gaussian() {}

  /** Φ(z) = P(Z ≤ z) for Z ~ N(0, 1), with a relative error below 1.2e-7. */
  public static double cdf(double z) {
    if (Double.isNaN(z)) {
      return Double.NaN;
    }
    return 0.5 * erfc(-z / Math.sqrt(2.0));
  }

  /**
   * Q(z) = P(Z > z) = 1 − Φ(z), computed directly, so a small tail keeps its relative precision
   * (below 1.2e-7) where 1 − Φ(z) would round to 0.
   */
  public static double upperTail(double z) {
    if (Double.isNaN(z)) {
      return Double.NaN;
    }
    return 0.5 * erfc(z / Math.sqrt(2.0));
  }

  /**
   * The complementary error function by its Chebyshev fit (Press et al., Numerical Recipes, 2nd
   * ed., section 6.2), fractional error below 1.2e-7 everywhere.
   */
  static double erfc(double x) {
    double ax = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * ax);
    double poly =
        -1.26551223
            + t
                * (1.00002368
                    + t
                        * (0.37409196
                            + t
                                * (0.09678418
                                    + t
                                        * (-0.18628806
                                            + t
                                                * (0.27886807
                                                    + t
                                                        * (-1.13520398
                                                            + t
                                                                * (1.48851587
                                                                    + t
                                                                        * (-0.82215223
                                                                            + t
                                                                                * 0.17087277))))))));
    double value = t * Math.exp(-ax * ax + poly);
    return x >= 0 ? value : 2.0 - value;
  }
}
