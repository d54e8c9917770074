package io.flinklstm.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Against scipy.stats.chi2.sf ({@code scripts/detector_reference.py}). */
class ChiSquareTest {
  @Test
  void matchesAnIndependentImplementation() {
    double[][] cases = {
      // x, k, P(X > x)
      {0.5, 1, 0.47950012218695337},
      {3.841458820694124, 1, 0.04999999999999989},
      {10.0, 1, 0.001565402258002549},
      {7.814727903251178, 3, 0.05},
      {40.0, 3, 1.065509033425585e-08},
      {2.0, 2, 0.36787944117144245},
      {9.21034037197618, 2, 0.010000000000000014},
      {23.209251158954356, 10, 0.010000000000000005},
      {1.0, 38, 1.0},
      {80.0, 38, 8.030406821510663e-05},
    };
    for (double[] c : cases) {
      double expected = c[2];
      assertThat(ChiSquare.upperTail(c[0], (int) c[1]))
          .as("x = %s, k = %s", c[0], (int) c[1])
          .isCloseTo(expected, within(2e-7 * expected));
    }
  }

  @Test
  void edges() {
    assertThat(ChiSquare.upperTail(0, 3)).isEqualTo(1.0);
    assertThat(ChiSquare.upperTail(-1, 2)).isEqualTo(1.0);
    assertThat(ChiSquare.upperTail(Double.NaN, 2)).isNaN();
    assertThat(ChiSquare.upperTail(Double.POSITIVE_INFINITY, 5)).isZero();
    assertThatThrownBy(() -> ChiSquare.upperTail(1, 0)).hasMessageContaining("at least 1");
  }
}
