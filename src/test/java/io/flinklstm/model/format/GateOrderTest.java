package io.flinklstm.model.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Moving fused gate blocks between the orders of different ecosystems. */
class GateOrderTest {
  /** H = 2; each value says its gate (1 i, 2 f, 3 g, 4 o) and its unit (tenths). */
  private static final float[] IFGO_ROW = {1.1f, 1.2f, 2.1f, 2.2f, 3.1f, 3.2f, 4.1f, 4.2f};

  @Test
  void blocksMoveIntoIfgo() {
    float[] fgio = {2.1f, 2.2f, 3.1f, 3.2f, 1.1f, 1.2f, 4.1f, 4.2f};
    float[] iofg = {1.1f, 1.2f, 4.1f, 4.2f, 2.1f, 2.2f, 3.1f, 3.2f};

    assertThat(GateOrder.parse("fgio").toIfgo(fgio)).containsExactly(IFGO_ROW);
    assertThat(GateOrder.parse("iofg").toIfgo(iofg)).containsExactly(IFGO_ROW);
    assertThat(GateOrder.parse("fgio").fromIfgo(IFGO_ROW)).containsExactly(fgio);
    assertThat(GateOrder.IFGO.toIfgo(IFGO_ROW)).containsExactly(IFGO_ROW);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ifgo", "fgio", "iofg", "ogfi", "gifo"})
  void fromIfgoUndoesToIfgoRowByRow(String letters) {
    GateOrder order = GateOrder.parse(letters);
    float[][] rows = {IFGO_ROW, IFGO_ROW.clone()};

    assertThat(order.toIfgo(order.fromIfgo(rows))).isDeepEqualTo(rows);
    assertThat(order.letters()).isEqualTo(letters);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ifg", "ifgoo", "iffo", "ifco", "IFGO"})
  void onlyPermutationsOfIfgoParse(String letters) {
    assertThatThrownBy(() -> GateOrder.parse(letters))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "gate order '"
                + letters
                + "' is not a permutation of the letters i, f, g, o"
                + " (for example ifgo)");
  }

  @Test
  void aRowMustHoldFourBlocks() {
    assertThatThrownBy(() -> GateOrder.IFGO.toIfgo(new float[6]))
        .hasMessageContaining("this one has 6");
  }
}
