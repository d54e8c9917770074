package io.flinklstm.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {
  private final EventCodec codec = new EventCodec(256, 4);

  @Test
  void aKeyWithAWholeSurrogatePairIsValid() throws Exception {
    Event e = codec.parse(null, bytes("{\"key\":\"k\\ud83d\\ude00\",\"ts\":1,\"values\":[1]}"));
    assertThat(e.key).isEqualTo("k\ud83d\ude00").hasSize(3);
  }

  @Test
  void parsesAValidEvent() throws Exception {
    Event e =
        codec.parse(
            bytes("k1"),
            bytes(
                "{\"key\":\"k1\",\"ts\":1700000000000,\"values\":[1,2.5,-3e2],\"extra\":{\"a\":[1]}}"));
    assertThat(e.key).isEqualTo("k1");
    assertThat(e.ts).isEqualTo(1_700_000_000_000L);
    assertThat(e.values).containsExactly(1f, 2.5f, -300f);
    assertThat(e.model).isNull();
  }

  @Test
  void readsTheModelName() throws Exception {
    Event e = codec.parse(null, bytes("{\"model\":\"cpu\",\"key\":\"k\",\"ts\":0,\"values\":[0]}"));
    assertThat(e.model).isEqualTo("cpu");
  }

  @Test
  void encodeThenParseIsTheSameEvent() throws Exception {
    Event e = new Event("host-7", 42L, new float[] {0.1f, Float.MIN_VALUE, -7f}, "m");
    assertThat(codec.parse(bytes("host-7"), codec.encode(e))).isEqualTo(e);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json                  | nope                                         | MALFORMED_JSON",
        "truncated                 | {\"key\":\"k\",\"ts\":1,                     | MALFORMED_JSON",
        "an array                  | [1,2]                                        | MALFORMED_JSON",
        "trailing content          | {\"key\":\"k\",\"ts\":1,\"values\":[1]} x     | MALFORMED_JSON",
        "NaN token                 | {\"key\":\"k\",\"ts\":1,\"values\":[NaN]}      | NON_FINITE",
        "Infinity token            | {\"key\":\"k\",\"ts\":1,\"values\":[-Infinity]} | NON_FINITE",
        "missing key               | {\"ts\":1,\"values\":[1]}                     | MISSING_FIELD",
        "missing ts                | {\"key\":\"k\",\"values\":[1]}                | MISSING_FIELD",
        "missing values            | {\"key\":\"k\",\"ts\":1}                      | MISSING_FIELD",
        "numeric key               | {\"key\":7,\"ts\":1,\"values\":[1]}           | BAD_FIELD",
        "empty key                 | {\"key\":\"\",\"ts\":1,\"values\":[1]}        | BAD_FIELD",
        "half a surrogate pair     | {\"key\":\"k\\ud800\",\"ts\":1,\"values\":[1]} | BAD_FIELD",
        "a lone low surrogate      | {\"key\":\"k\",\"ts\":1,\"symbol\":\"\\udc00x\"} | BAD_FIELD",
        "a half-pair model name    | {\"key\":\"k\",\"ts\":1,\"values\":[1],\"model\":\"m\\ud800\"} | BAD_FIELD",
        "string ts                 | {\"key\":\"k\",\"ts\":\"1\",\"values\":[1]}   | BAD_FIELD",
        "fractional ts             | {\"key\":\"k\",\"ts\":1.5,\"values\":[1]}     | BAD_FIELD",
        "negative ts               | {\"key\":\"k\",\"ts\":-1,\"values\":[1]}      | BAD_FIELD",
        "huge ts                   | {\"key\":\"k\",\"ts\":99999999999999999999,\"values\":[1]} | BAD_FIELD",
        "string value              | {\"key\":\"k\",\"ts\":1,\"values\":[\"1\"]}   | BAD_FIELD",
        "values not an array       | {\"key\":\"k\",\"ts\":1,\"values\":1}         | BAD_FIELD",
        "empty values              | {\"key\":\"k\",\"ts\":1,\"values\":[]}        | BAD_FIELD",
        "null value                | {\"key\":\"k\",\"ts\":1,\"values\":[null]}    | BAD_FIELD",
        "float overflow            | {\"key\":\"k\",\"ts\":1,\"values\":[1e39]}    | NON_FINITE",
        "too many values           | {\"key\":\"k\",\"ts\":1,\"values\":[1,2,3,4,5]} | TOO_LARGE",
        "empty model               | {\"key\":\"k\",\"ts\":1,\"values\":[1],\"model\":\"\"} | BAD_FIELD",
      })
  void refusesWithTheRightReason(String what, String json, RejectReason reason) {
    assertRejected(() -> codec.parse(null, bytes(json.trim())), reason);
  }

  @Test
  void refusesOversizedRecordsBeforeParsing() {
    byte[] big = new byte[257];
    assertRejected(() -> codec.parse(null, big), RejectReason.TOO_LARGE);
  }

  @Test
  void refusesAKafkaKeyThatDiffersFromTheEventKey() {
    assertRejected(
        () -> codec.parse(bytes("other"), bytes("{\"key\":\"k\",\"ts\":1,\"values\":[1]}")),
        RejectReason.KEY_MISMATCH);
  }

  @Test
  void refusesARecordWithoutValue() {
    assertRejected(() -> codec.parse(null, null), RejectReason.MALFORMED_JSON);
  }

  private static void assertRejected(ThrowingCallable call, RejectReason reason) {
    assertThatThrownBy(call)
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).reason()).isEqualTo(reason))
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
