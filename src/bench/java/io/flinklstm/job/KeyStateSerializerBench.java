package io.flinklstm.job;

import io.flinklstm.detect.AnomalyDetector;
import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.detect.Score;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What RocksDB costs the job per event besides its own reads and writes: {@link KeyStateSerializer}
 * writing and reading one key's state, H = 64, D = 8, after 300 events (its ring of recent inputs
 * full, its detector statistics sized, time-of-day bins included). Run with {@code java -cp ...
 * org.openjdk.jmh.Main KeyStateSerializerBench} after {@code mvn -Pbench test-compile}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyStateSerializerBench {
  private static final int HIDDEN = 64;
  private static final int DIM = 8;

  private final DataOutputSerializer out = new DataOutputSerializer(4096);
  private final DataInputDeserializer in = new DataInputDeserializer();
  private KeyState state;
  private byte[] bytes;

  @Setup
  public void setUp() throws IOException {
    state = new KeyState();
    state.model = "default";
    state.modelVersion = 1;
    state.shapeFor(HIDDEN, DIM, ScoringConfig.defaults("default").rewarmWindow());
    AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS);
    Score score = new Score();
    long ts = 1_767_225_600_000L;
    for (int i = 0; i < 300; i++) {
      float[] values = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        values[d] = (float) Math.sin(0.1 * i + d);
      }
      state.remember(values, ts + 600_000L * i);
      detector.score(state.stats, values, values, values, ts + 600_000L * i, score);
    }
    for (int i = 0; i < HIDDEN; i++) {
      state.lstm.h()[i] = (float) Math.cos(i);
      state.lstm.c()[i] = (float) Math.sin(i);
    }
    out.clear();
    KeyStateSerializer.INSTANCE.serialize(state, out);
    bytes = out.getCopyOfBuffer();
  }

  @Benchmark
  public int serialize() throws IOException {
    out.clear();
    KeyStateSerializer.INSTANCE.serialize(state, out);
    return out.length();
  }

  @Benchmark
  public KeyState deserialize() throws IOException {
    in.setBuffer(bytes);
    return KeyStateSerializer.INSTANCE.deserialize(in);
  }
}
