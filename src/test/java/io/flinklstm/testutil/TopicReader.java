package io.flinklstm.testutil;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every partition of one topic from the beginning and keeps what it has read, for tests that
 * wait for a job's output. Reads committed records only, unless made with {@link #readUncommitted}:
 * a job's exactly-once sink writes inside transactions, and only the committed ones are its output.
 * No consumer group: partitions are assigned directly, so nothing waits for a rebalance. Not
 * thread-safe; one test thread reads.
 */
public final class TopicReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

  private TopicReader(String bootstrapServers, String topic, String isolationLevel) {
    this.topic = topic;
    this.consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                isolationLevel,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                2000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .collect(Collectors.toList());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** A reader of the topic's committed records. */
  public static TopicReader readCommitted(String bootstrapServers, String topic) {
    return new TopicReader(bootstrapServers, topic, "read_committed");
  }

  /** A reader that also sees records of open and aborted transactions. */
  public static TopicReader readUncommitted(String bootstrapServers, String topic) {
    return new TopicReader(bootstrapServers, topic, "read_uncommitted");
  }

  /**
   * Reads until at least {@code count} records have been read in all.
   *
   * @return every record read so far (possibly more than {@code count})
   * @throws AssertionError when the count is not reached within the timeout
   */
  public List<ConsumerRecord<byte[], byte[]>> awaitCount(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (records.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected at least "
                + count
                + " records on "
                + topic
                + " within "
                + timeout
                + ", read "
                + records.size());
      }
      poll();
    }
    return records();
  }

  /**
   * Keeps reading for the given time, to catch records that should not be there (duplicates, late
   * extras), and returns every record read so far.
   */
  public List<ConsumerRecord<byte[], byte[]>> readFor(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < deadline) {
      poll();
    }
    return records();
  }

  /** Every record read so far, in the order read (per partition: offset order). */
  public List<ConsumerRecord<byte[], byte[]>> records() {
    return List.copyOf(records);
  }

  private void poll() {
    consumer.poll(POLL).forEach(records::add);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
