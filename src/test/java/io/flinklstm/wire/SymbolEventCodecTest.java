package io.flinklstm.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Symbol events on the wire, and the score fields only symbol events carry. */
class SymbolEventCodecTest {
  private final EventCodec codec = new EventCodec();

  @Test
  void readsAndWritesASymbolEvent() throws Exception {
    Event e = codec.parse(null, bytes("{\"key\":\"host-1\",\"ts\":5,\"symbol\":\"auth.ok\"}"));
    assertThat(e.symbol).isEqualTo("auth.ok");
    assertThat(e.values).isNull();
    assertThat(e.isSymbol()).isTrue();
    assertThat(new String(codec.encode(e), StandardCharsets.UTF_8))
        .isEqualTo("{\"key\":\"host-1\",\"ts\":5,\"symbol\":\"auth.ok\"}");
    assertThat(codec.parse(null, codec.encode(Event.ofSymbol("k", 1, "x", "logs"))))
        .isEqualTo(Event.ofSymbol("k", 1, "x", "logs"));
  }

  @Test
  void anEventCarriesExactlyOneOfValuesAndSymbol() {
    assertThatThrownBy(
            () ->
                codec.parse(
                    null, bytes("{\"key\":\"k\",\"ts\":1,\"values\":[1],\"symbol\":\"a\"}")))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_FIELD))
        .hasMessageContaining("exactly one");
    assertThatThrownBy(() -> codec.parse(null, bytes("{\"key\":\"k\",\"ts\":1}")))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.MISSING_FIELD))
        .hasMessageContaining("'values'")
        .hasMessageContaining("'symbol'");
  }

  @Test
  void refusesBadSymbols() throws Exception {
    assertReason("{\"key\":\"k\",\"ts\":1,\"symbol\":\"\"}", RejectReason.BAD_FIELD);
    assertReason("{\"key\":\"k\",\"ts\":1,\"symbol\":3}", RejectReason.BAD_FIELD);
    assertReason("{\"key\":\"k\",\"ts\":1,\"symbol\":[\"a\"]}", RejectReason.BAD_FIELD);
    String longest = "s".repeat(EventCodec.MAX_SYMBOL_LENGTH);
    assertThat(codec.parse(null, bytes("{\"key\":\"k\",\"ts\":1,\"symbol\":\"" + longest + "\"}")))
        .satisfies(e -> assertThat(e.symbol).hasSize(EventCodec.MAX_SYMBOL_LENGTH));
    assertReason(
        "{\"key\":\"k\",\"ts\":1,\"symbol\":\"" + longest + "s\"}", RejectReason.TOO_LARGE);
  }

  @Test
  void symbolFieldsOfAScoreAreAbsentForNumericEvents() throws IOException {
    ScoreRecord numeric = new ScoreRecord();
    numeric.key = "k";
    numeric.values = new float[] {1f};
    String json = new String(WireJson.encode(numeric), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("symbol", "surprise", "rank", "verdict");

    ScoreRecord symbol = new ScoreRecord();
    symbol.key = "k";
    symbol.symbol = "auth";
    symbol.surprise = 2.5;
    symbol.rank = 3;
    symbol.verdict = ScoreRecord.NOT_IN_TOP_G;
    String encoded = new String(WireJson.encode(symbol), StandardCharsets.UTF_8);
    assertThat(encoded)
        .contains("\"symbol\":\"auth\"", "\"surprise\":2.5", "\"rank\":3")
        .contains("\"verdict\":\"not_in_top_g\"")
        .doesNotContain("\"values\"");
    assertThat(WireJson.decodeScore(WireJson.encode(symbol))).isEqualTo(symbol);
  }

  private void assertReason(String json, RejectReason reason) {
    assertThatThrownBy(() -> codec.parse(null, bytes(json)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
