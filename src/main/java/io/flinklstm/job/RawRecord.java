package io.flinklstm.job;

import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.InvalidInputException;

/**
 * A Kafka record as read, before any parsing: where it came from and its bytes, and whether it is
 * an analyst's verdict (from the feedback topic) rather than a model file on the scoring operator's
 * broadcast input. A Flink POJO, so it travels with Flink's POJO serializer.
 */
public final class RawRecord {
  public String topic;
  public int partition;
  public long offset;
  public long timestamp;
  public byte[] key;
  public byte[] value;
  public boolean feedback;

  public RawRecord() {}

  public RawRecord(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
  }

  /** This record marked as a verdict of the feedback topic. */
  public RawRecord asFeedback() {
    feedback = true;
    return this;
  }

  /**
   * This record as a dead letter, refused for {@code e}, with its original bytes; {@code key} is
   * the event's key where parsing got that far (null otherwise).
   */
  DeadLetter deadLetter(InvalidInputException e, String key, long now) {
    return DeadLetter.of(e.reason(), e.getMessage(), topic, partition, offset, key, value, now);
  }
}
