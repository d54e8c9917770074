package io.flinklstm.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One observation of one key: {@code {"key": "...", "ts": <epoch ms>, "values": [...]}} for a
 * numeric model, or {@code {"key": "...", "ts": <epoch ms>, "symbol": "..."}} for a categorical one
 * (exactly one of {@link #values} and {@link #symbol} is set), optionally with {@code "model"}
 * naming the model that scores it.
 *
 * <p>A Flink POJO (public fields, a public no-argument constructor) so it travels between operators
 * with Flink's POJO serializer, never Kryo. The source coordinates say where it was read, for dead
 * letters raised after parsing.
 */
public final class Event {
  public String key;
  public long ts;

  /** The numeric observation; null for a symbol event. */
  public float[] values;

  /** The discrete observation (a log key, an event type); null for a numeric event. */
  public String symbol;

  /** The model to score with, or null for the job's default model. */
  public String model;

  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;

  public Event() {}

  public Event(String key, long ts, float[] values, String model) {
    this.key = key;
    this.ts = ts;
    this.values = values;
    this.model = model;
  }

  /** A symbol event, for a categorical model. */
  public static Event ofSymbol(String key, long ts, String symbol, String model) {
    Event e = new Event(key, ts, null, model);
    e.symbol = symbol;
    return e;
  }

  /** Whether this event carries a symbol rather than values. */
  public boolean isSymbol() {
    return symbol != null;
  }

  /** Sets where the event was read from. */
  public Event from(String topic, int partition, long offset) {
    this.sourceTopic = topic;
    this.sourcePartition = partition;
    this.sourceOffset = offset;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Event)) {
      return false;
    }
    Event e = (Event) o;
    return ts == e.ts
        && sourcePartition == e.sourcePartition
        && sourceOffset == e.sourceOffset
        && Objects.equals(key, e.key)
        && Arrays.equals(values, e.values)
        && Objects.equals(symbol, e.symbol)
        && Objects.equals(model, e.model)
        && Objects.equals(sourceTopic, e.sourceTopic);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, ts, Arrays.hashCode(values), symbol, model, sourceOffset);
  }

  @Override
  public String toString() {
    String observed = symbol != null ? "symbol=" + symbol : "values=" + Arrays.toString(values);
    return "Event{key=" + key + ", ts=" + ts + ", " + observed + "}";
  }
}
