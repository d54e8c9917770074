package io.flinklstm.testutil;

import io.flinklstm.wire.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes raw records to one topic with an idempotent producer, as an event source would: a retry
 * never duplicates or reorders a partition's records, so each key's events reach the job once and
 * in order. Values are bytes, so tests can send anything, valid or not.
 */
public final class EventProducer implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final String topic;

  public EventProducer(String bootstrapServers, String topic) {
    this.topic = topic;
    this.producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                1 << 20),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /**
   * Sends one record; its Kafka key is {@code recordKey} in UTF-8, or none when null. The future
   * gives the record's partition and offset.
   */
  public Future<RecordMetadata> send(String recordKey, byte[] value) {
    byte[] key = recordKey == null ? null : recordKey.getBytes(StandardCharsets.UTF_8);
    return producer.send(new ProducerRecord<>(topic, key, value));
  }

  /**
   * Sends events as JSON under their own keys, {@code perBatch} at a time with a pause after each
   * batch (so a job sees a stream rather than a backlog), and waits until all are acknowledged.
   */
  public void sendEvents(List<Event> events, int perBatch, Duration pause)
      throws InterruptedException {
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      send(e.key, EventSeries.json(e));
      if (!pause.isZero() && (i + 1) % perBatch == 0 && i + 1 < events.size()) {
        Thread.sleep(pause.toMillis());
      }
    }
    flush();
  }

  /** Waits until every record sent so far is acknowledged. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
