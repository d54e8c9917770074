package io.flinklstm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyScalerTest {
  private static final InputScaling LEARN_FOUR = InputScaling.perKey(4, 0, 10);

  /**
   * Hand-worked: values 2, 4, 6, 8 learnt exactly. Each is scaled by the statistics of the ones
   * before it: 2 → 0 (nothing known); 4 against mean 2, deviation floored at 1e-5 · 2 → clipped to
   * 10; 6 against mean 3, population deviation 1 → 3; 8 against mean 4, deviation √(8/3) → 2.449.
   * After four values the statistics freeze (adaptation 0): mean 5, variance 5.
   */
  @Test
  void scalesEachValueByTheStatisticsOfTheValuesBeforeIt() {
    KeyScaler scaler = new KeyScaler();
    float[] out = new float[1];
    float[] expected = {0, 10, 3, (float) (4 / Math.sqrt(8.0 / 3))};
    float[] values = {2, 4, 6, 8};
    for (int i = 0; i < 4; i++) {
      scaler.scale(LEARN_FOUR, new float[] {values[i]}, out);
      assertThat(out[0]).as("value %d", i).isCloseTo(expected[i], within(1e-6f));
    }
    assertThat(scaler.count).isEqualTo(4);
    assertThat(scaler.mean[0]).isCloseTo(5, within(1e-12));
    assertThat(scaler.var[0]).isCloseTo(5, within(1e-12));
    scaler.scale(LEARN_FOUR, new float[] {1000}, out);
    assertThat(scaler.mean[0]).isEqualTo(5.0);
    assertThat(out[0]).isEqualTo(10f);
    float[] back = new float[1];
    scaler.unscale(LEARN_FOUR, new float[] {1}, back);
    assertThat(back[0]).isCloseTo((float) (5 + Math.sqrt(5)), within(1e-5f));
  }

  /** After the learning events, statistics follow the key with the adaptation's memory. */
  @Test
  void afterLearningTheStatisticsAdaptSlowly() {
    InputScaling spec = InputScaling.perKey(100, 1000, 10);
    KeyScaler scaler = new KeyScaler();
    Random random = new Random(1);
    float[] out = new float[1];
    for (int i = 0; i < 100; i++) {
      scaler.scale(spec, new float[] {(float) random.nextGaussian()}, out);
    }
    double before = scaler.mean[0];
    // A level shift of 2 deviations: the mean moves by about 2 × (1 − (1 − 1/1000)^1000) ≈ 1.26.
    for (int i = 0; i < 1000; i++) {
      scaler.scale(spec, new float[] {(float) (2 + random.nextGaussian())}, out);
    }
    assertThat(scaler.mean[0] - before).isBetween(1.0, 1.5);
  }

  /** An outlier is learnt as if it were 4 deviations out, so it cannot rescale its own key. */
  @Test
  void anOutlierDoesNotRescaleItsKey() {
    InputScaling spec = InputScaling.perKey(500, 5000, 10);
    KeyScaler scaler = new KeyScaler();
    Random random = new Random(2);
    float[] out = new float[1];
    for (int i = 0; i < 200; i++) {
      scaler.scale(spec, new float[] {(float) (100 + random.nextGaussian())}, out);
    }
    double mean = scaler.mean[0];
    double std = Math.sqrt(scaler.var[0]);
    scaler.scale(spec, new float[] {1e9f}, out);
    assertThat(out[0]).isEqualTo(10f);
    assertThat(scaler.mean[0] - mean).isLessThan(4 * std / 200);
    assertThat(Math.sqrt(scaler.var[0])).isLessThan(1.1 * std);
  }

  /** Channels are scaled each by its own statistics, in place as well as into another array. */
  @Test
  void channelsAreIndependentAndScalingInPlaceGivesTheSame() {
    KeyScaler a = new KeyScaler();
    KeyScaler b = new KeyScaler();
    InputScaling spec = InputScaling.perKey(50, 500, 10);
    Random random = new Random(3);
    for (int i = 0; i < 300; i++) {
      float[] x = {(float) (1e7 * random.nextGaussian()), (float) (1e-3 * random.nextGaussian())};
      float[] out = new float[2];
      a.scale(spec, x, out);
      float[] inPlace = x.clone();
      b.scale(spec, inPlace, inPlace);
      assertThat(inPlace).containsExactly(out);
    }
    assertThat(Math.sqrt(a.var[0])).isCloseTo(1e7, within(2e6));
    assertThat(Math.sqrt(a.var[1])).isCloseTo(1e-3, within(2e-4));
  }

  /** A constant key scales to 0; its deviation floor keeps the division finite. */
  @Test
  void aConstantKeyScalesToZero() {
    KeyScaler scaler = new KeyScaler();
    float[] out = new float[1];
    for (int i = 0; i < 100; i++) {
      scaler.scale(InputScaling.DEFAULT, new float[] {42}, out);
      assertThat(out[0]).isZero();
    }
    scaler.scale(InputScaling.DEFAULT, new float[] {43}, out);
    assertThat(out[0]).isEqualTo(10f);
  }

  @Test
  void noneCopiesTheValuesAndLearnsNothing() {
    KeyScaler scaler = new KeyScaler();
    float[] out = new float[2];
    scaler.scale(InputScaling.NONE, new float[] {3, 4}, out);
    assertThat(out).containsExactly(3, 4);
    assertThat(scaler.count).isZero();
  }

  @Test
  void badSettingsNameTheOption() {
    assertThatThrownBy(() -> InputScaling.perKey(1, 0, 10))
        .hasMessageContaining("--scaling-learn-events must be at least 2");
    assertThatThrownBy(() -> InputScaling.perKey(10, -1, 10))
        .hasMessageContaining("--scaling-adapt-events must not be negative");
    assertThatThrownBy(() -> InputScaling.perKey(10, 0, 0))
        .hasMessageContaining("--scaling-clip must be positive");
    assertThatThrownBy(() -> InputScaling.Kind.parse("global"))
        .hasMessageContaining("scaling 'global' is unknown; expected 'per-key' or 'none'");
  }
}
