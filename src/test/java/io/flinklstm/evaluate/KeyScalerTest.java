package io.flinklstm.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class KeyScalerTest {

  @Test
  void standardisesWithTheStatisticsOfTheFirstRowsThenKeepsThem() {
    KeyScaler scaler = new KeyScaler(3);
    assertThat(scaler.next(1)).isEqualTo(0f); // one value: its own mean
    assertThat(scaler.next(2)).isCloseTo((float) (0.5 / Math.sqrt(0.5)), within(1e-6f));
    assertThat(scaler.next(3)).isCloseTo(1f, within(1e-6f)); // mean 2, deviation 1
    // Frozen: later values, however extreme, do not move the scale.
    assertThat(scaler.next(2.5)).isCloseTo(0.5f, within(1e-6f));
    assertThat(scaler.next(100)).isEqualTo((float) KeyScaler.CLIP);
    assertThat(scaler.next(2)).isEqualTo(0f);
  }

  @Test
  void aConstantSeriesMapsToZeroAndAJumpStaysFinite() {
    KeyScaler scaler = new KeyScaler(10);
    for (int i = 0; i < 10; i++) {
      assertThat(scaler.next(5e6)).isEqualTo(0f);
    }
    assertThat(scaler.next(5e6 + 1)).isCloseTo(1f / 5000f, within(1e-7f));
    assertThat(scaler.next(-1e9)).isEqualTo((float) -KeyScaler.CLIP);
  }
}
