package io.flinklstm.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flinklstm.testutil.FuzzContract;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the event parser: {@link EventCodec#parse} with the default limits, as
 * {@code ParseEvents} calls it on every Kafka record of the events topic.
 *
 * <p>The contract: any bytes either give an event or an {@link InvalidInputException} with a reason
 * (the dead letter); any other exception or error is a finding, and so is a call allocating beyond
 * {@link FuzzContract}'s bound or taking longer than the timeout. An accepted event must hold what
 * {@link EventCodec} documents (key, ts, exactly one of values and symbol, their limits) and read
 * back the same from {@link EventCodec#encode}, its key as the record key.
 *
 * <p>The committed inputs, in {@code EventCodecFuzzTestInputs/parse/}, are valid numeric and symbol
 * events and a few refused ones; {@code mvn verify} runs them as tests and then fuzzes from them.
 */
class EventCodecFuzzTest {
  private static final EventCodec CODEC = new EventCodec();
  private static final FuzzContract CONTRACT = new FuzzContract("EventCodecFuzzTest.parse");

  @FuzzTest
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void parse(byte[] value) throws Exception {
    Event[] parsed = new Event[1];
    boolean accepted =
        CONTRACT.within(
            value.length,
            () -> {
              try {
                parsed[0] = CODEC.parse(null, value);
                return true;
              } catch (InvalidInputException refused) {
                assertThat(refused.reason()).isNotNull();
                return false;
              }
            });
    CONTRACT.count(accepted);
    if (accepted) {
      holdsItsContract(parsed[0]);
    }
  }

  private static void holdsItsContract(Event e) throws InvalidInputException {
    assertThat(e.key).isNotEmpty().hasSizeLessThanOrEqualTo(EventCodec.MAX_KEY_LENGTH);
    assertThat(e.ts).isNotNegative();
    assertThat(e.values == null).isNotEqualTo(e.symbol == null);
    if (e.values != null) {
      assertThat(e.values.length).isBetween(1, EventCodec.DEFAULT_MAX_VALUES);
      for (float v : e.values) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    } else {
      assertThat(e.symbol).isNotEmpty().hasSizeLessThanOrEqualTo(EventCodec.MAX_SYMBOL_LENGTH);
    }
    if (e.model != null) {
      assertThat(e.model).isNotEmpty();
    }
    byte[] encoded = CODEC.encode(e);
    assertThat(CODEC.parse(null, encoded)).isEqualTo(e);
    // Every accepted key, symbol and model name is valid Unicode (half a surrogate pair, which a
    // JSON escape can write, is refused), so the record key of the key's UTF-8 form matches it.
    byte[] recordKey = e.key.getBytes(StandardCharsets.UTF_8);
    assertThat(new String(recordKey, StandardCharsets.UTF_8)).isEqualTo(e.key);
    assertThat(CODEC.parse(recordKey, encoded)).isEqualTo(e);
  }

  @AfterAll
  static void report() {
    CONTRACT.report();
  }
}
