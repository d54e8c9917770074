package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.detect.AnomalyDetector;
import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.detect.Score;
import io.flinklstm.wire.Event;
import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class KeyStateSerializerTest {
  @Test
  void roundTripsEveryField() throws IOException {
    KeyState s = GoldenKeyStates.sample();
    KeyState back = roundTrip(s);
    assertThat(back.model).isEqualTo("m");
    assertThat(back.modelVersion).isEqualTo(7);
    assertThat(back.lstm.h()).containsExactly(s.lstm.h());
    assertThat(back.lstm.c()).containsExactly(s.lstm.c());
    assertThat(back.stats).usingRecursiveComparison().isEqualTo(s.stats);
    assertThat(back.lastTs).isEqualTo(s.lastTs);
    assertThat(back.seen).isEqualTo(s.seen);
    assertThat(back.ringSize).isEqualTo(3);
    float[] row = new float[2];
    for (int i = 0; i < 3; i++) {
      back.recall(i, row);
      assertThat(row).containsExactly(i + 2f, -(i + 2f));
    }
    assertThat(back.pending).containsExactlyElementsOf(s.pending);
    assertThat(roundTrip(back)).usingRecursiveComparison().isEqualTo(back);
  }

  @Test
  void copyIsDeep() {
    KeyState s = GoldenKeyStates.sample();
    KeyState copy = KeyStateSerializer.INSTANCE.copy(s);
    s.lstm.h()[0] = 99f;
    s.pending.get(0).values[0] = 99f;
    assertThat(copy.lstm.h()[0]).isNotEqualTo(99f);
    assertThat(copy.pending.get(0).values[0]).isNotEqualTo(99f);
  }

  @Test
  void refusesAnUnknownVersion() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    KeyStateSerializer.INSTANCE.serialize(GoldenKeyStates.sample(), out);
    byte[] bytes = out.getCopyOfBuffer();
    bytes[0] = (byte) (KeyStateSerializer.VERSION + 1);
    assertThatThrownBy(
            () -> KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)))
        .hasMessageContaining(
            "unknown key state format version " + (KeyStateSerializer.VERSION + 1));
  }

  /** Bytes written by format version 1 (before symbol events), committed as they were. */
  @Test
  void readsAVersionOneStateAsItWasWritten() throws Exception {
    KeyState expected = beforeVersionFive();
    expected.stats.lastFlag = 0;
    expected.stats.settleUntil = 0;
    KeyState back = readsGolden(1, expected);
    assertThat(back.symbols.size()).isZero();
  }

  /**
   * Bytes written by format version 2 (before the quiet period after a flag), committed as they
   * were: {@link GoldenKeyStates#sample()} with a symbol ring of "a", "b".
   */
  @Test
  void readsAVersionTwoStateAsItWasWritten() throws Exception {
    KeyState expected = beforeVersionFive();
    expected.stats.lastFlag = 0;
    expected.stats.settleUntil = 0;
    KeyState back = readsGolden(2, expected);
    assertThat(List.of(back.symbols.get(0), back.symbols.get(1))).containsExactly("a", "b");
  }

  /**
   * Bytes written by format version 3 (before errors settled again after a restart), committed as
   * they were: {@link GoldenKeyStates#sample()} with a symbol ring of "a", "b".
   */
  @Test
  void readsAVersionThreeStateAsItWasWritten() throws Exception {
    KeyState expected = beforeVersionFive();
    expected.stats.settleUntil = 0;
    KeyState back = readsGolden(3, expected);
    assertThat(back.stats.lastFlag).isEqualTo(9);
    assertThat(List.of(back.symbols.get(0), back.symbols.get(1))).containsExactly("a", "b");
  }

  /**
   * Bytes written by format version 4 (before the moving average of clipped raw scores, the edge
   * trigger and the range rule), committed as they were: {@link GoldenKeyStates#sample()} without
   * those, with a symbol ring of "a", "b". Its recent and long-run means are read as 0.
   */
  @Test
  void readsAVersionFourStateAsItWasWritten() throws Exception {
    KeyState back = readsGolden(4, beforeVersionFive());
    assertThat(back.stats.lastFlag).isEqualTo(9);
    assertThat(back.stats.settleUntil).isEqualTo(15);
    assertThat(List.of(back.symbols.get(0), back.symbols.get(1))).containsExactly("a", "b");
  }

  /** Every released version has its committed file, the current one included. */
  @Test
  void everyVersionHasAGoldenFile() {
    for (int v = 1; v <= KeyStateSerializer.VERSION; v++) {
      assertThat(getClass().getResource("/golden/key-state-v" + v + ".bin"))
          .as("golden/key-state-v%d.bin (make it with scripts/golden-files.sh)", v)
          .isNotNull();
    }
  }

  /**
   * The current format writes exactly its committed bytes, so a change of layout without a new
   * version fails here; and reads them back as they were.
   */
  @Test
  void theCurrentVersionWritesItsGoldenBytes() throws Exception {
    KeyState s = GoldenKeyStates.current();
    DataOutputSerializer out = new DataOutputSerializer(64);
    KeyStateSerializer.INSTANCE.serialize(s, out);
    String name = "/golden/key-state-v" + KeyStateSerializer.VERSION + ".bin";
    byte[] golden = Files.readAllBytes(Path.of(getClass().getResource(name).toURI()));
    assertThat(out.getCopyOfBuffer()).isEqualTo(golden);
    KeyState back = readsGolden(KeyStateSerializer.VERSION, s);
    assertThat(back.recallTime(0)).isEqualTo(2_100);
    assertThat(back.recallTime(2)).isEqualTo(4_100);
  }

  /**
   * Bytes written by format version 9 (before analysts' verdicts), committed as they were: {@link
   * GoldenKeyStates#current()} without the feedback statistics and remembered flags.
   */
  @Test
  void readsAVersionNineStateAsItWasWritten() throws Exception {
    KeyState back = readsGolden(9, withoutFeedback(GoldenKeyStates.current()));
    assertThat(back.stats.raises).isZero();
    assertThat(back.stats.flagTimes).isEmpty();
    assertThat(back.stats.driftDown).containsExactly(0f, 3.25f);
  }

  /**
   * A state as a version before 10 holds it: no feedback statistics, remembered flags or
   * time-of-day statistics.
   */
  private static KeyState withoutFeedback(KeyState s) {
    s.stats.raises = 0;
    s.stats.raisedAt = 0;
    s.stats.mutedRules = 0;
    s.stats.mutedUntil = 0;
    s.stats.flagTimes = new long[0];
    s.stats.flagRules = new byte[0];
    s.stats.flagNext = 0;
    s.stats.dayMean = new float[0];
    s.stats.dayVar = new float[0];
    s.stats.dayCount = new int[0];
    s.stats.dayUp = new float[0];
    s.stats.dayDown = new float[0];
    s.stats.dayStart = 0;
    return s;
  }

  /**
   * Bytes written by format version 8 (before the drift rule), committed as they were: {@link
   * GoldenKeyStates#current()} without the residual statistics and drift sums.
   */
  @Test
  void readsAVersionEightStateAsItWasWritten() throws Exception {
    KeyState back = readsGolden(8, withoutDrift(GoldenKeyStates.current()));
    assertThat(back.stats.residualMean).isEmpty();
    assertThat(back.recallTime(0)).isEqualTo(2_100);
  }

  /** A state as a version before 9 holds it: no residual statistics or drift sums. */
  private static KeyState withoutDrift(KeyState s) {
    withoutFeedback(s);
    s.stats.residualMean = new float[0];
    s.stats.residualVar = new float[0];
    s.stats.residualCov = new float[0];
    s.stats.residualLast = new float[0];
    s.stats.driftUp = new float[0];
    s.stats.driftDown = new float[0];
    return s;
  }

  /**
   * Bytes written by format version 7 (before the remembered inputs' times were kept), committed as
   * they were: {@link GoldenKeyStates#current()} without the times, which read back as unknown.
   */
  @Test
  void readsAVersionSevenStateAsItWasWritten() throws Exception {
    KeyState back = readsGolden(7, withoutDrift(GoldenKeyStates.current()));
    for (int i = 0; i < back.ringSize; i++) {
      assertThat(back.recallTime(i)).isEqualTo(KeyState.UNKNOWN_TIME);
    }
    float[] row = new float[2];
    back.recall(2, row);
    assertThat(row).containsExactly(4f, -4f);
  }

  /**
   * Bytes written by format version 6 (before the stuck-value rule), committed as they were: {@link
   * GoldenKeyStates#sample()} without the runs of repeated values, with a symbol ring of "a", "b".
   */
  @Test
  void readsAVersionSixStateAsItWasWritten() throws Exception {
    KeyState back = readsGolden(6, beforeVersionSeven());
    assertThat(back.stats.repeats).isEmpty();
    assertThat(back.scaler.count).isEqualTo(7);
  }

  /** The sample as version 6 holds it: no runs of repeated values. */
  private static KeyState beforeVersionSeven() {
    KeyState s = withoutDrift(GoldenKeyStates.sample());
    s.stats.lastValues = new float[0];
    s.stats.repeats = new int[0];
    s.stats.longestRepeats = new int[0];
    return s;
  }

  /**
   * Bytes written by format version 5 (before per-key scaling), committed as they were: {@link
   * GoldenKeyStates#sample()} without the scaling statistics, with a symbol ring of "a", "b".
   */
  @Test
  void readsAVersionFiveStateAsItWasWritten() throws Exception {
    KeyState expected = beforeVersionSix();
    KeyState back = readsGolden(5, expected);
    assertThat(back.scaler.count).isZero();
    assertThat(back.stats.rangeMax).containsExactly(4f, 0f);
  }

  /** The sample as version 5 holds it: no scaling statistics. */
  private static KeyState beforeVersionSix() {
    KeyState s = beforeVersionSeven();
    s.scaler.count = 0;
    s.scaler.mean = new double[0];
    s.scaler.var = new double[0];
    return s;
  }

  /** The sample as a version before 5 holds it: no recent ring, edge memory or range. */
  private static KeyState beforeVersionFive() {
    KeyState s = beforeVersionSix();
    s.stats.longMean = 0;
    s.stats.longVar = 0;
    s.stats.shortMean = 0;
    s.stats.recent = new double[0];
    s.stats.recentNext = 0;
    s.stats.recentCount = 0;
    s.stats.inRedZone = false;
    s.stats.rangeMin = new float[0];
    s.stats.rangeMax = new float[0];
    return s;
  }

  /**
   * Reads {@code golden/key-state-v<version>.bin} and checks it holds {@code expected}'s model,
   * LSTM state, statistics, ring, times and held events; written again, it is the current version
   * and reads back the same.
   */
  private KeyState readsGolden(int version, KeyState expected) throws Exception {
    String name = "/golden/key-state-v" + version + ".bin";
    byte[] golden = Files.readAllBytes(Path.of(getClass().getResource(name).toURI()));
    assertThat(golden[0]).isEqualTo((byte) version);
    KeyState back = KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(golden));
    assertThat(back.model).isEqualTo("m");
    assertThat(back.modelVersion).isEqualTo(7);
    assertThat(back.lstm.h()).containsExactly(expected.lstm.h());
    assertThat(back.lstm.c()).containsExactly(expected.lstm.c());
    assertThat(back.stats).usingRecursiveComparison().isEqualTo(expected.stats);
    assertThat(back.scaler).usingRecursiveComparison().isEqualTo(expected.scaler);
    assertThat(back.ringSize).isEqualTo(3);
    assertThat(back.lastTs).isEqualTo(expected.lastTs);
    assertThat(back.seen).isEqualTo(expected.seen);
    assertThat(back.pending).containsExactlyElementsOf(expected.pending);
    assertThat(roundTrip(back)).usingRecursiveComparison().isEqualTo(back);
    return back;
  }

  @Test
  void roundTripsTheSymbolRingAndHeldSymbolEvents() throws IOException {
    KeyState s = new KeyState();
    s.model = "logs";
    s.modelVersion = 3;
    s.shapeFor(4, 0, 0);
    s.symbols.resize(3);
    for (String sym : new String[] {"open", "auth", "read", "close"}) {
      s.symbols.remember(sym);
    }
    s.pending.add(Event.ofSymbol("k", 9, "write", "logs").from("events", 1, 2));
    s.pending.add(new Event("k", 10, new float[] {1f}, "metrics").from("events", 1, 3));
    KeyState back = roundTrip(s);
    assertThat(back.symbols.capacity()).isEqualTo(3);
    assertThat(back.symbols.size()).isEqualTo(3);
    assertThat(List.of(back.symbols.get(0), back.symbols.get(1), back.symbols.get(2)))
        .containsExactly("auth", "read", "close");
    assertThat(back.pending).containsExactlyElementsOf(s.pending);
    KeyState copy = KeyStateSerializer.INSTANCE.copy(s);
    s.symbols.remember("other");
    assertThat(copy.symbols.get(2)).isEqualTo("close");
  }

  @Test
  void theStateDescriptorUsesTheHandWrittenSerializer() {
    TypeSerializer<KeyState> serializer = ScoringOperator.stateDescriptor().getSerializer();
    assertThat(serializer).isSameAs(KeyStateSerializer.INSTANCE);
    assertThat(KeyStateSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
        .isEqualTo(KeyStateSerializer.INSTANCE);
  }

  /** For H = 64 (one layer), D = 8 and the default ring of 16: the figure the design budgets. */
  @Test
  void aTypicalKeyStaysUnderTwoKilobytes() throws IOException {
    KeyState s = new KeyState();
    s.model = "default";
    s.modelVersion = 1;
    s.shapeFor(64, 8, 16);
    for (int i = 0; i < 16; i++) {
      s.remember(new float[8], 1_767_225_600_000L + 60_000L * i);
    }
    // A key that has scored: every per-channel statistic is sized.
    AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS);
    Score score = new Score();
    for (int i = 0; i < 300; i++) {
      float[] values = {i % 3, 1, 2, 3, 4, 5, 6, i % 7};
      detector.score(s.stats, new float[8], values, values, score);
    }
    s.scaler.mean = new double[8];
    s.scaler.var = new double[8];
    assertThat(s.stats.driftUp).hasSize(8);
    DataOutputSerializer out = new DataOutputSerializer(4096);
    KeyStateSerializer.INSTANCE.serialize(s, out);
    assertThat(out.length()).isLessThan(2048);
  }

  /**
   * Sizes that the bytes do not back: read back, they cost memory only as far as their values are
   * there (before, a 20-byte state claiming 2^26 LSTM units allocated 256 MiB, and a ring or symbol
   * ring was allocated for its whole capacity before its first input was read).
   */
  @Test
  void sizesWithoutTheirBytesAllocateNoMoreThanTheBytes() throws IOException {
    DataOutputSerializer lstm = new DataOutputSerializer(16);
    lstm.writeByte(KeyStateSerializer.VERSION);
    lstm.writeBoolean(false);
    lstm.writeInt(1 << 26);
    assertThat(allocatedRefusing(lstm.getCopyOfBuffer())).isLessThan(1 << 20);
    assertThat(allocatedRefusing(versionTwo(4096, 10_000, 1, 0, 0))).isLessThan(1 << 20);
    assertThat(allocatedRefusing(versionTwo(0, 0, 0, 1 << 26, 1))).isLessThan(1 << 20);
  }

  @Test
  void refusesARingThatCannotBeHeldOrHoldsNothing() {
    assertThatThrownBy(() -> deserialize(versionTwo(1 << 26, 1 << 26, 0, 0, 0)))
        .isInstanceOf(IOException.class)
        .hasMessage("key state: ring of 67108864 × 67108864 values is out of range");
    // A ring of dimension 0 is written with capacity 0; this one would loop 2^26 times on no bytes.
    assertThatThrownBy(() -> deserialize(versionTwo(0, 1 << 26, 1 << 26, 0, 0)))
        .isInstanceOf(IOException.class)
        .hasMessage("key state: ring size 67108864 with a dimension of 0");
  }

  /**
   * The start of a format version 2 state, no model and no LSTM state, up to the symbol ring's
   * size: what comes after (the ring's rows, its symbols) is missing.
   */
  private static byte[] versionTwo(
      int dimension, int capacity, int size, int symbolCapacity, int symbolSize)
      throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeByte(2);
    out.writeBoolean(false);
    out.writeInt(0);
    out.writeLong(0);
    for (int i = 0; i < 5; i++) {
      out.writeDouble(0);
    }
    out.writeInt(dimension);
    out.writeInt(capacity);
    out.writeInt(size);
    if (size == 0) {
      out.writeInt(symbolCapacity);
      out.writeInt(symbolSize);
    }
    return out.getCopyOfBuffer();
  }

  /** The bytes a reading allocates that ends at the end of the bytes. */
  private static long allocatedRefusing(byte[] bytes) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      assertThatThrownBy(() -> deserialize(bytes)).isInstanceOf(EOFException.class);
      least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
    }
    return least;
  }

  private static KeyState deserialize(byte[] bytes) throws IOException {
    return KeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
  }

  private static KeyState roundTrip(KeyState s) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    KeyStateSerializer.INSTANCE.serialize(s, out);
    return KeyStateSerializer.INSTANCE.deserialize(
        new DataInputDeserializer(out.getCopyOfBuffer()));
  }
}
