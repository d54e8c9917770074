package io.flinklstm.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VerdictTest {
  @Test
  void readsAVerdictAsTheFeedbackTopicCarriesIt() throws Exception {
    Verdict v =
        Verdict.parse(
            utf8("pump-7"),
            utf8(
                "{\"key\":\"pump-7\",\"ts\":1700000000000,\"verdict\":\"false_positive\","
                    + "\"note\":\"maintenance\",\"model\":\"sensor\",\"by\":\"ana\"}"));
    assertThat(v)
        .isEqualTo(
            new Verdict(
                "pump-7",
                1_700_000_000_000L,
                Verdict.Kind.FALSE_POSITIVE,
                "sensor",
                "maintenance"));
    Verdict confirmed =
        Verdict.parse(null, utf8("{\"key\":\"k\",\"ts\":0,\"verdict\":\"confirmed\"}"));
    assertThat(confirmed.kind).isEqualTo(Verdict.Kind.CONFIRMED);
    assertThat(confirmed.model).isNull();
    assertThat(confirmed.note).isNull();
  }

  @Test
  void writesWhatItReads() throws Exception {
    Verdict v = new Verdict("k\"é", 42, Verdict.Kind.CONFIRMED, null, "a\nnote");
    assertThat(Verdict.parse(null, v.encode())).isEqualTo(v);
    assertThat(new String(v.encode(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"key\":\"k\\\"é\",\"ts\":42,\"verdict\":\"confirmed\",\"note\":\"a\\nnote\"}");
  }

  @Test
  void refusesWhatIsNotAVerdictSayingWhy() {
    refuses(null, "{\"key\":", RejectReason.MALFORMED_JSON, "not valid JSON");
    refuses(null, "", RejectReason.MALFORMED_JSON, "a JSON object");
    refuses(null, "[1]", RejectReason.MALFORMED_JSON, "a JSON object");
    refuses(null, "{\"ts\":1,\"verdict\":\"confirmed\"}", RejectReason.MISSING_FIELD, "'key'");
    refuses(null, "{\"key\":\"k\",\"verdict\":\"confirmed\"}", RejectReason.MISSING_FIELD, "'ts'");
    refuses(
        null,
        "{\"key\":\"k\",\"ts\":-1,\"verdict\":\"confirmed\"}",
        RejectReason.BAD_FIELD,
        "'ts'");
    refuses(
        null,
        "{\"key\":\"k\",\"ts\":1.5,\"verdict\":\"confirmed\"}",
        RejectReason.BAD_FIELD,
        "'ts'");
    refuses(
        null,
        "{\"key\":\"k\",\"ts\":1,\"verdict\":\"maybe\"}",
        RejectReason.BAD_FIELD,
        "\"false_positive\" or \"confirmed\"");
    refuses(
        null, "{\"key\":\"\",\"ts\":1,\"verdict\":\"confirmed\"}", RejectReason.BAD_FIELD, "'key'");
    refuses(
        null,
        "{\"key\":\"k\",\"ts\":1,\"verdict\":\"confirmed\",\"note\":3}",
        RejectReason.BAD_FIELD,
        "'note'");
    refuses(
        "other",
        "{\"key\":\"k\",\"ts\":1,\"verdict\":\"confirmed\"}",
        RejectReason.KEY_MISMATCH,
        "differs");
    refuses(
        null,
        "{\"key\":\"k\",\"ts\":1,\"verdict\":\"confirmed\",\"note\":\""
            + "x".repeat(Verdict.MAX_BYTES)
            + "\"}",
        RejectReason.TOO_LARGE,
        "limit");
  }

  private static void refuses(String recordKey, String json, RejectReason reason, String message) {
    assertThatThrownBy(() -> Verdict.parse(recordKey == null ? null : utf8(recordKey), utf8(json)))
        .as(json)
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
