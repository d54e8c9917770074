package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Parsing at the job's edge, in Flink's operator harness with a processing-time clock. */
class ParseEventsTest {
  private static final long NOW = 1_764_547_200_000L; // 2025-12-01T00:00:00Z
  private static final long ONE_DAY = Duration.ofDays(1).toMillis();

  /**
   * An event stamped more than the allowed skew ahead of the job's clock goes to dead letters as
   * {@code future}; one just inside it, and any in the past, pass.
   */
  @Test
  void eventsTooFarAheadOfTheClockAreFuture() throws Exception {
    try (OneInputStreamOperatorTestHarness<RawRecord, Event> h = harness(ONE_DAY)) {
      h.setProcessingTime(NOW);
      h.processElement(record("a", NOW + ONE_DAY), 0);
      h.processElement(record("a", NOW + ONE_DAY + 1), 0);
      h.processElement(record("a", 4_102_444_800_000L), 0); // the year 2100
      h.processElement(record("a", NOW - 10 * 365 * ONE_DAY), 0);
      h.processElement(record("a", Long.MAX_VALUE), 0);
      List<Event> passed = h.extractOutputValues();
      assertThat(passed)
          .extracting(e -> e.ts)
          .containsExactly(NOW + ONE_DAY, NOW - 10 * 365 * ONE_DAY);
      List<DeadLetter> refused =
          h.getSideOutput(ScoringJob.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
      assertThat(refused)
          .hasSize(3)
          .allSatisfy(
              d -> {
                assertThat(d.reason).isEqualTo("future");
                assertThat(d.key).isEqualTo("a");
              });
      assertThat(refused.get(0).message)
          .isEqualTo(
              "ts "
                  + (NOW + ONE_DAY + 1)
                  + " is more than "
                  + ONE_DAY
                  + " ms ahead of the job's"
                  + " clock at "
                  + NOW);
    }
  }

  @Test
  void aSkewOfZeroLetsEveryTimeThrough() throws Exception {
    try (OneInputStreamOperatorTestHarness<RawRecord, Event> h = harness(0)) {
      h.setProcessingTime(NOW);
      h.processElement(record("a", Long.MAX_VALUE), 0);
      assertThat(h.extractOutputValues()).hasSize(1);
    }
  }

  private static OneInputStreamOperatorTestHarness<RawRecord, Event> harness(long skew)
      throws Exception {
    OneInputStreamOperatorTestHarness<RawRecord, Event> h =
        new OneInputStreamOperatorTestHarness<>(
            new ProcessOperator<>(new ParseEvents(1 << 20, 4096, skew)));
    h.open();
    return h;
  }

  private static RawRecord record(String key, long ts) {
    byte[] value =
        ("{\"key\":\"" + key + "\",\"ts\":" + ts + ",\"values\":[1.0]}")
            .getBytes(StandardCharsets.UTF_8);
    return new RawRecord("events", 0, 0, 0, key.getBytes(StandardCharsets.UTF_8), value);
  }
}
