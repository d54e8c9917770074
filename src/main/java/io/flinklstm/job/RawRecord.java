package io.flinklstm.job;

/**
 * A Kafka record as read, before any parsing: where it came from and its bytes. A Flink POJO, so it
 * travels with Flink's POJO serializer.
 */
public final class RawRecord {
  public String topic;
  public int partition;
  public long offset;
  public long timestamp;
  public byte[] key;
  public byte[] value;

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
}
