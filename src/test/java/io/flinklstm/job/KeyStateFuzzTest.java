package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flinklstm.testutil.FuzzContract;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the key-state deserializer, {@link KeyStateSerializer#deserialize}, as
 * Flink calls it on the bytes of a checkpoint or savepoint (and, with RocksDB, on every access to a
 * key's state).
 *
 * <p>The contract: an {@link IOException} is the refusal (a version this build does not read, a
 * size out of range, bytes that end early: Flink fails the restore with its message); any other
 * exception or error is a finding, and so is a call allocating beyond {@link FuzzContract}'s bound
 * or taking longer than the timeout. A state that reads must write, and what it writes must read
 * back to a state that writes the same bytes.
 *
 * <p>The committed inputs, in {@code KeyStateFuzzTestInputs/deserialize/}, are the golden key
 * states of {@code src/test/resources/golden/} (format versions 1 to 7), copied byte for byte.
 */
class KeyStateFuzzTest {
  private static final KeyStateSerializer SERIALIZER = KeyStateSerializer.INSTANCE;
  private static final FuzzContract CONTRACT = new FuzzContract("KeyStateFuzzTest.deserialize");

  @FuzzTest
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void deserialize(byte[] bytes) throws Exception {
    KeyState[] state = new KeyState[1];
    boolean accepted =
        CONTRACT.within(
            bytes.length,
            () -> {
              try {
                state[0] = SERIALIZER.deserialize(new DataInputDeserializer(bytes));
                return true;
              } catch (IOException refused) {
                return false;
              }
            });
    CONTRACT.count(accepted);
    if (accepted) {
      byte[] written = write(state[0]);
      byte[] again = write(SERIALIZER.deserialize(new DataInputDeserializer(written)));
      assertThat(again).isEqualTo(written);
      assertThat(write(SERIALIZER.copy(state[0]))).isEqualTo(written);
    }
  }

  private static byte[] write(KeyState s) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    SERIALIZER.serialize(s, out);
    return out.getCopyOfBuffer();
  }

  @AfterAll
  static void report() {
    CONTRACT.report();
  }
}
