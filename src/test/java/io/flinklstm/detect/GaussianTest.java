package io.flinklstm.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GaussianTest {
  @Test
  void matchesTabulatedValues() {
    // Values of Φ from standard tables (to 7 digits).
    assertThat(Gaussian.cdf(0)).isCloseTo(0.5, within(1e-7));
    assertThat(Gaussian.cdf(1)).isCloseTo(0.8413447, within(2e-7));
    assertThat(Gaussian.cdf(1.959964)).isCloseTo(0.975, within(2e-7));
    assertThat(Gaussian.cdf(-3)).isCloseTo(0.0013499, within(1e-7));
    assertThat(Gaussian.cdf(3.719016)).isCloseTo(0.9999, within(1e-7));
    assertThat(Gaussian.cdf(-40)).isEqualTo(0.0);
    assertThat(Gaussian.cdf(40)).isEqualTo(1.0);
    assertThat(Gaussian.cdf(Double.NaN)).isNaN();
  }

  @Test
  void theUpperTailKeepsItsRelativePrecisionFarOut() {
    // Q(z) = erfc(z / √2) / 2 from tables; far out, 1 − Φ(z) would round to 0.
    assertThat(Gaussian.upperTail(0)).isCloseTo(0.5, within(1e-7));
    assertThat(Gaussian.upperTail(-1)).isCloseTo(0.8413447, within(2e-7));
    assertThat(Gaussian.upperTail(3.719016)).isCloseTo(1e-4, within(1e-9));
    assertThat(Gaussian.upperTail(5)).isCloseTo(2.866516e-7, within(2.866516e-7 * 2e-7));
    assertThat(Gaussian.upperTail(10)).isCloseTo(7.619853e-24, within(7.619853e-24 * 2e-7));
    assertThat(1 - Gaussian.cdf(10)).isZero();
    assertThat(Gaussian.upperTail(Double.NaN)).isNaN();
  }

  @Test
  void isMonotone() {
    double last = 0;
    for (double z = -8; z <= 8; z += 0.01) {
      double p = Gaussian.cdf(z);
      assertThat(p).isGreaterThanOrEqualTo(last);
      last = p;
    }
  }
}
