package io.flinklstm.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** The records that travel between Flink operators use Flink's POJO serializer, never Kryo. */
class WireTypesTest {
  @Test
  void recordsAreFlinkPojos() {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(Event.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ScoreRecord.class);
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(DeadLetter.class);
  }

  @Test
  void scoreJsonRoundTrips() throws Exception {
    ScoreRecord s = new ScoreRecord();
    s.key = "k";
    s.ts = 5;
    s.values = new float[] {1.5f};
    s.prediction = new float[] {1.25f};
    s.error = 0.25;
    s.rawScore = 0.7;
    s.likelihood = 0.99;
    s.logLikelihood = 0.2;
    s.anomaly = true;
    s.model = "m";
    s.modelVersion = 3;
    s.status = ScoreRecord.SCORED;
    assertThat(WireJson.decodeScore(WireJson.encode(s))).isEqualTo(s);
  }

  @Test
  void deadLettersKeepTheOriginalBytes() throws Exception {
    byte[] binary = {(byte) 0xff, 0, 1, 2};
    DeadLetter d =
        DeadLetter.of(RejectReason.MALFORMED_JSON, "bad", "events", 2, 99, null, binary, 7);
    assertThat(d.payloadEncoding).isEqualTo(DeadLetter.BASE64);
    DeadLetter back = WireJson.decodeDeadLetter(WireJson.encode(d));
    assertThat(back).isEqualTo(d);
    assertThat(back.originalBytes()).containsExactly(binary);

    DeadLetter text =
        DeadLetter.of(RejectReason.LATE, "late", "events", 0, 1, "k", "{\"a\":1}".getBytes(), 7);
    assertThat(text.payloadEncoding).isEqualTo(DeadLetter.TEXT);
    assertThat(text.payload).isEqualTo("{\"a\":1}");
  }
}
