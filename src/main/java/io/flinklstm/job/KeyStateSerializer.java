package io.flinklstm.job;

import io.flinklstm.detect.AnomalyDetector;
import io.flinklstm.detect.ScoreStats;
import io.flinklstm.model.LstmState;
import io.flinklstm.wire.Event;
import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The hand-written, versioned binary form of {@link KeyState} in checkpoints and savepoints.
 *
 * <p>Format version 10, all integers big-endian as {@link DataOutputView} writes them:
 *
 * <pre>
 *   u8 version (10)
 *   bool hasModel [utf model, i64 modelVersion]
 *   i32 n, f32[n] h, f32[n] c
 *   i64 stats.seen, f64 errorMean, errorVar, longMean, longVar, shortMean, i64 lastFlag,
 *       i64 settleUntil
 *   i32 r, f64[r] recent raw scores (ring order), i32 recentNext, i32 recentCount, bool inRedZone
 *   i32 d, f32[d] rangeMin, f32[d] rangeMax
 *   i32 e, f32[e] lastValues, i32[e] repeats, i32[e] longestRepeats
 *   i32 f, f32[f] residualMean, f32[f] residualVar, f32[f] residualCov, f32[f] residualLast,
 *       f32[f] driftUp, f32[f] driftDown
 *   i32 raises, i64 raisedAt, i32 mutedRules, i64 mutedUntil, i32 g, i64[g] flagTimes,
 *       u8[g] flagRules, i32 flagNext
 *   i32 b, i32 t, f32[b·t] dayMean, f32[b·t] dayVar, i32[b] dayCount, f32[t] dayUp,
 *       f32[t] dayDown, i64 dayStart
 *   i64 scaler.count, i32 s, f64[s] scaler.mean, f64[s] scaler.var
 *   i32 ringDimension, i32 ringCapacity, i32 ringSize, then per input (oldest first)
 *       f32[ringDimension] values, i64 ts
 *   i32 symbolCapacity, i32 symbolSize, utf[symbolSize] (oldest first)
 *   i64 lastTs, i64 seen
 *   i32 pending, then per event: utf key, i64 ts, u8 kind, then for kind 0 (values) i32 d, f32[d],
 *       for kind 1 (symbol) utf symbol; bool hasModel [utf model], bool hasTopic [utf topic],
 *       i32 partition, i64 offset
 * </pre>
 *
 * <p>Older versions are still read. Version 9, written before analysts' verdicts and the
 * time-of-day rule, lacks the feedback statistics, the remembered flags and the hours' statistics:
 * the key starts with no raise, nothing muted, no flag a verdict can name, and learns its hours
 * afresh (the rule judges it two days later). Version 8, written before the drift rule, lacks the
 * residual statistics and drift sums: the key learns them afresh from its next event. Version 7,
 * written before models took time inputs, lacks the remembered inputs' event times: they are read
 * as unknown, and a model with time inputs re-warms from the inputs whose time it knows (none of
 * these). Version 6, written before the stuck-value rule, lacks the runs of repeated values: the
 * key learns them afresh from its next event. Version 5, written before per-key scaling, lacks the
 * scaling statistics: the key learns them afresh from its next value. Version 4, written before the
 * raw score was clipped to [0, 1] from 0 and averaged over a moving window, lacks the ring of
 * recent raw scores, the edge trigger's memory and the range; its recent and long-run means
 * described another raw score (centred on 0.5), so they are read as 0, and the floors on them
 * govern until the key has learnt them again; the range starts from the key's next event. Version
 * 3, written before errors settled again after a restart of the recurrent state, lacks {@code
 * settleUntil} (read as 0: no restart). Version 2, written before the quiet period after a flag
 * existed, lacks {@code lastFlag} (read as 0: no flag yet). Version 1, written before symbol events
 * existed, also lacks the symbol ring and the kind byte (every held event has values). A value
 * written by a newer version is refused with an error that names the version, rather than misread.
 */
public final class KeyStateSerializer extends TypeSerializerSingleton<KeyState> {
  private static final long serialVersionUID = 1L;

  public static final KeyStateSerializer INSTANCE = new KeyStateSerializer();

  static final int VERSION = 10;

  private static final int VALUES_KIND = 0;
  private static final int SYMBOL_KIND = 1;

  /**
   * Bounds on sizes read back, so a corrupt checkpoint fails clearly instead of exhausting memory.
   */
  private static final int MAX_ARRAY = 1 << 26;

  /**
   * Arrays are allocated up to this many elements at first and grown as their values are read, so
   * that a size that the bytes do not back costs no more memory than the bytes there are.
   */
  private static final int FIRST_CHUNK = 1024;

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public KeyState createInstance() {
    return new KeyState();
  }

  @Override
  public KeyState copy(KeyState from) {
    KeyState to = new KeyState();
    to.model = from.model;
    to.modelVersion = from.modelVersion;
    to.lstm = from.lstm.copy();
    to.stats.copyFrom(from.stats);
    to.scaler.copyFrom(from.scaler);
    to.ring = from.ring.clone();
    to.ringTimes = from.ringTimes.clone();
    to.ringDimension = from.ringDimension;
    to.ringSlots = from.ringSlots;
    to.ringSize = from.ringSize;
    to.ringHead = from.ringHead;
    to.symbols.copyFrom(from.symbols);
    to.lastTs = from.lastTs;
    to.seen = from.seen;
    for (Event e : from.pending) {
      to.pending.add(copy(e));
    }
    return to;
  }

  @Override
  public KeyState copy(KeyState from, KeyState reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(KeyState s, DataOutputView out) throws IOException {
    out.writeByte(VERSION);
    writeNullableUtf(out, s.model);
    if (s.model != null) {
      out.writeLong(s.modelVersion);
    }
    int n = s.lstm.size();
    out.writeInt(n);
    writeFloats(out, s.lstm.h(), 0, n);
    writeFloats(out, s.lstm.c(), 0, n);
    ScoreStats st = s.stats;
    out.writeLong(st.seen);
    out.writeDouble(st.errorMean);
    out.writeDouble(st.errorVar);
    out.writeDouble(st.longMean);
    out.writeDouble(st.longVar);
    out.writeDouble(st.shortMean);
    out.writeLong(st.lastFlag);
    out.writeLong(st.settleUntil);
    out.writeInt(st.recent.length);
    writeDoubles(out, st.recent);
    out.writeInt(st.recentNext);
    out.writeInt(st.recentCount);
    out.writeBoolean(st.inRedZone);
    out.writeInt(st.rangeMin.length);
    writeFloats(out, st.rangeMin, 0, st.rangeMin.length);
    writeFloats(out, st.rangeMax, 0, st.rangeMax.length);
    out.writeInt(st.lastValues.length);
    writeFloats(out, st.lastValues, 0, st.lastValues.length);
    for (int r : st.repeats) {
      out.writeInt(r);
    }
    for (int r : st.longestRepeats) {
      out.writeInt(r);
    }
    int drifts = st.residualMean.length;
    out.writeInt(drifts);
    writeFloats(out, st.residualMean, 0, drifts);
    writeFloats(out, st.residualVar, 0, drifts);
    writeFloats(out, st.residualCov, 0, drifts);
    writeFloats(out, st.residualLast, 0, drifts);
    writeFloats(out, st.driftUp, 0, drifts);
    writeFloats(out, st.driftDown, 0, drifts);
    out.writeInt(st.raises);
    out.writeLong(st.raisedAt);
    out.writeInt(st.mutedRules);
    out.writeLong(st.mutedUntil);
    out.writeInt(st.flagTimes.length);
    for (long ts : st.flagTimes) {
      out.writeLong(ts);
    }
    out.write(st.flagRules);
    out.writeInt(st.flagNext);
    int bins = st.dayCount.length;
    int dayChannels = st.dayUp.length;
    out.writeInt(bins);
    out.writeInt(dayChannels);
    writeFloats(out, st.dayMean, 0, st.dayMean.length);
    writeFloats(out, st.dayVar, 0, st.dayVar.length);
    for (int c : st.dayCount) {
      out.writeInt(c);
    }
    writeFloats(out, st.dayUp, 0, dayChannels);
    writeFloats(out, st.dayDown, 0, dayChannels);
    out.writeLong(st.dayStart);
    out.writeLong(s.scaler.count);
    out.writeInt(s.scaler.mean.length);
    writeDoubles(out, s.scaler.mean);
    writeDoubles(out, s.scaler.var);
    out.writeInt(s.ringDimension);
    out.writeInt(s.ringCapacity());
    out.writeInt(s.ringSize);
    float[] row = new float[s.ringDimension];
    for (int i = 0; i < s.ringSize; i++) {
      s.recall(i, row);
      writeFloats(out, row, 0, row.length);
      out.writeLong(s.recallTime(i));
    }
    out.writeInt(s.symbols.capacity());
    out.writeInt(s.symbols.size());
    for (int i = 0; i < s.symbols.size(); i++) {
      out.writeUTF(s.symbols.get(i));
    }
    out.writeLong(s.lastTs);
    out.writeLong(s.seen);
    out.writeInt(s.pending.size());
    for (Event e : s.pending) {
      out.writeUTF(e.key);
      out.writeLong(e.ts);
      if (e.symbol != null) {
        out.writeByte(SYMBOL_KIND);
        out.writeUTF(e.symbol);
      } else {
        out.writeByte(VALUES_KIND);
        out.writeInt(e.values.length);
        writeFloats(out, e.values, 0, e.values.length);
      }
      writeNullableUtf(out, e.model);
      writeNullableUtf(out, e.sourceTopic);
      out.writeInt(e.sourcePartition);
      out.writeLong(e.sourceOffset);
    }
  }

  @Override
  public KeyState deserialize(DataInputView in) throws IOException {
    int version = in.readUnsignedByte();
    if (version < 1 || version > VERSION) {
      throw new IOException(
          "unknown key state format version "
              + version
              + " (this build reads 1 to "
              + VERSION
              + ")");
    }
    KeyState s = new KeyState();
    s.model = readNullableUtf(in);
    if (s.model != null) {
      s.modelVersion = in.readLong();
    }
    int n = readSize(in, "LSTM state size");
    s.lstm = new LstmState(readFloats(in, n), readFloats(in, n));
    ScoreStats st = s.stats;
    st.seen = in.readLong();
    st.errorMean = in.readDouble();
    st.errorVar = in.readDouble();
    st.longMean = in.readDouble();
    st.longVar = in.readDouble();
    st.shortMean = in.readDouble();
    if (version >= 3) {
      st.lastFlag = in.readLong();
    }
    if (version >= 4) {
      st.settleUntil = in.readLong();
    }
    if (version >= 5) {
      readRecent(in, st);
      int d = readSize(in, "range dimension");
      st.rangeMin = readFloats(in, d);
      st.rangeMax = readFloats(in, d);
    } else {
      st.longMean = 0;
      st.longVar = 0;
      st.shortMean = 0;
    }
    if (version >= 7) {
      int channels = readSize(in, "repeat channels");
      st.lastValues = readFloats(in, channels);
      st.repeats = readInts(in, channels);
      st.longestRepeats = readInts(in, channels);
    }
    if (version >= 9) {
      int channels = readSize(in, "drift channels");
      st.residualMean = readFloats(in, channels);
      st.residualVar = readFloats(in, channels);
      st.residualCov = readFloats(in, channels);
      st.residualLast = readFloats(in, channels);
      st.driftUp = readFloats(in, channels);
      st.driftDown = readFloats(in, channels);
    }
    if (version >= 10) {
      readFeedback(in, st);
      readTimeOfDay(in, st);
    }
    if (version >= 6) {
      s.scaler.count = in.readLong();
      int channels = readSize(in, "scaling dimension");
      s.scaler.mean = readDoubles(in, channels);
      s.scaler.var = readDoubles(in, channels);
      if (s.scaler.count < 0) {
        throw new IOException("key state: scaling count " + s.scaler.count + " is negative");
      }
    }
    int dimension = readSize(in, "ring dimension");
    int capacity = readSize(in, "ring capacity");
    int size = readSize(in, "ring size");
    if (size > capacity) {
      throw new IOException("key state: ring size " + size + " exceeds its capacity " + capacity);
    }
    if (dimension == 0 && size > 0) {
      // Its rows would have no bytes: refused rather than looped over.
      throw new IOException("key state: ring size " + size + " with a dimension of 0");
    }
    if ((long) capacity * dimension > Integer.MAX_VALUE) {
      throw new IOException(
          "key state: ring of " + capacity + " × " + dimension + " values is out of range");
    }
    s.shapeFor(n, dimension, capacity);
    for (int i = 0; i < size; i++) {
      float[] values = readFloats(in, dimension);
      s.remember(values, version >= 8 ? in.readLong() : KeyState.UNKNOWN_TIME);
    }
    if (version >= 2) {
      readSymbols(in, s.symbols);
    }
    s.lastTs = in.readLong();
    s.seen = in.readLong();
    int pending = readSize(in, "pending events");
    for (int i = 0; i < pending; i++) {
      String key = in.readUTF();
      long ts = in.readLong();
      int kind = version >= 2 ? in.readUnsignedByte() : VALUES_KIND;
      Event e;
      if (kind == VALUES_KIND) {
        float[] values = readFloats(in, readSize(in, "event dimension"));
        e = new Event(key, ts, values, readNullableUtf(in));
      } else if (kind == SYMBOL_KIND) {
        String symbol = in.readUTF();
        e = Event.ofSymbol(key, ts, symbol, readNullableUtf(in));
      } else {
        throw new IOException("key state: held event " + i + " has an unknown kind " + kind);
      }
      e.sourceTopic = readNullableUtf(in);
      e.sourcePartition = in.readInt();
      e.sourceOffset = in.readLong();
      s.pending.add(e);
    }
    return s;
  }

  @Override
  public KeyState deserialize(KeyState reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<KeyState> snapshotConfiguration() {
    return new Snapshot();
  }

  /** The time-of-day rule's statistics of version 10 on. */
  private static void readTimeOfDay(DataInputView in, ScoreStats st) throws IOException {
    int bins = readSize(in, "time-of-day bins");
    int channels = readSize(in, "time-of-day channels");
    if ((long) bins * channels > MAX_ARRAY) {
      throw new IOException(
          "key state: " + bins + " × " + channels + " time-of-day statistics are out of range");
    }
    st.dayMean = readFloats(in, bins * channels);
    st.dayVar = readFloats(in, bins * channels);
    st.dayCount = readInts(in, bins);
    st.dayUp = readFloats(in, channels);
    st.dayDown = readFloats(in, channels);
    st.dayStart = in.readLong();
  }

  /** The feedback statistics and remembered flags of version 10 on. */
  private static void readFeedback(DataInputView in, ScoreStats st) throws IOException {
    st.raises = in.readInt();
    st.raisedAt = in.readLong();
    st.mutedRules = in.readInt();
    st.mutedUntil = in.readLong();
    int flags = readSize(in, "remembered flags");
    if (st.raises < 0 || flags > AnomalyDetector.FLAG_MEMORY) {
      throw new IOException(
          "key state: "
              + st.raises
              + " raises and "
              + flags
              + " remembered flags are out of range");
    }
    st.flagTimes = new long[flags];
    for (int i = 0; i < flags; i++) {
      st.flagTimes[i] = in.readLong();
    }
    st.flagRules = new byte[flags];
    in.readFully(st.flagRules);
    st.flagNext = in.readInt();
    if (st.flagNext < 0 || st.flagNext > flags || st.flagNext >= AnomalyDetector.FLAG_MEMORY) {
      throw new IOException(
          "key state: next flag slot " + st.flagNext + " outside its " + flags + " flags");
    }
  }

  private static void readRecent(DataInputView in, ScoreStats st) throws IOException {
    int r = readSize(in, "recent raw scores");
    st.recent = readDoubles(in, r);
    st.recentNext = in.readInt();
    st.recentCount = in.readInt();
    if (st.recentNext < 0
        || st.recentCount < 0
        || st.recentCount > r
        || (r > 0 && st.recentNext >= r)
        || (r == 0 && st.recentNext != 0)) {
      throw new IOException(
          "key state: recent raw scores at "
              + st.recentNext
              + " with "
              + st.recentCount
              + " of "
              + r
              + " filled");
    }
    st.inRedZone = in.readBoolean();
  }

  private static void readSymbols(DataInputView in, SymbolRing ring) throws IOException {
    int capacity = readSize(in, "symbol ring capacity");
    int size = readSize(in, "symbol ring size");
    if (size > capacity) {
      throw new IOException(
          "key state: symbol ring size " + size + " exceeds its capacity " + capacity);
    }
    ring.resize(capacity);
    for (int i = 0; i < size; i++) {
      ring.remember(in.readUTF());
    }
  }

  private static Event copy(Event e) {
    Event c =
        e.symbol != null
            ? Event.ofSymbol(e.key, e.ts, e.symbol, e.model)
            : new Event(e.key, e.ts, e.values.clone(), e.model);
    return c.from(e.sourceTopic, e.sourcePartition, e.sourceOffset);
  }

  private static void writeNullableUtf(DataOutputView out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String readNullableUtf(DataInputView in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static void writeFloats(DataOutputView out, float[] a, int from, int count)
      throws IOException {
    for (int i = from; i < from + count; i++) {
      out.writeFloat(a[i]);
    }
  }

  private static void writeDoubles(DataOutputView out, double[] a) throws IOException {
    for (double v : a) {
      out.writeDouble(v);
    }
  }

  private static int[] readInts(DataInputView in, int n) throws IOException {
    int[] a = new int[Math.min(n, FIRST_CHUNK)];
    for (int i = 0; i < n; i++) {
      if (i == a.length) {
        a = Arrays.copyOf(a, grown(i, n));
      }
      a[i] = in.readInt();
      if (a[i] < 0) {
        throw new IOException("key state: a run of repeats is negative: " + a[i]);
      }
    }
    return a;
  }

  private static double[] readDoubles(DataInputView in, int n) throws IOException {
    double[] a = new double[Math.min(n, FIRST_CHUNK)];
    for (int i = 0; i < n; i++) {
      if (i == a.length) {
        a = Arrays.copyOf(a, grown(i, n));
      }
      a[i] = in.readDouble();
    }
    return a;
  }

  private static float[] readFloats(DataInputView in, int n) throws IOException {
    float[] a = new float[Math.min(n, FIRST_CHUNK)];
    for (int i = 0; i < n; i++) {
      if (i == a.length) {
        a = Arrays.copyOf(a, grown(i, n));
      }
      a[i] = in.readFloat();
    }
    return a;
  }

  /** The next length of an array of {@code n} elements whose first {@code read} were read. */
  private static int grown(int read, int n) {
    return (int) Math.min(n, 2L * read);
  }

  private static int readSize(DataInputView in, String what) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_ARRAY) {
      throw new IOException("key state: " + what + " " + n + " is out of range");
    }
    return n;
  }

  /** Restores this serializer; it has no configuration of its own. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<KeyState> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
