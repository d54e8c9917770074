package io.flinklstm.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One observation of one key: {@code {"key": "...", "ts": <epoch ms>, "values": [...]}}, optionally
 * with {@code "model"} naming the model that scores it.
 *
 * <p>A Flink POJO (public fields, a public no-argument constructor) so it travels between operators
 * with Flink's POJO serializer, never Kryo. The source coordinates say where it was read, for dead
 * letters raised after parsing.
 */
public final class Event {
  public String key;
  public long ts;
  public float[] values;

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
        && Objects.equals(model, e.model)
        && Objects.equals(sourceTopic, e.sourceTopic);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, ts, Arrays.hashCode(values), model, sourceOffset);
  }

  @Override
  public String toString() {
    return "Event{key=" + key + ", ts=" + ts + ", values=" + Arrays.toString(values) + "}";
  }
}
