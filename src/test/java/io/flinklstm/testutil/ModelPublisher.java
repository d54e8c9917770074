package io.flinklstm.testutil;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes model files to the models topic the way the training sidecar does: each in its own
 * Kafka transaction, so a read_committed reader (the job) sees a version whole or not at all.
 */
public final class ModelPublisher implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final String topic;

  public ModelPublisher(String bootstrapServers, String topic) {
    this.topic = topic;
    this.producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                KafkaBroker.uniqueName("model-publisher"),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    producer.initTransactions();
  }

  /**
   * Publishes one record in a committed transaction and returns where it landed. The record key is
   * normally the model's name; tests pass other keys (or null) and any bytes (or null) as well.
   */
  public RecordMetadata publish(String recordKey, byte[] file) {
    byte[] key = recordKey == null ? null : recordKey.getBytes(StandardCharsets.UTF_8);
    producer.beginTransaction();
    try {
      RecordMetadata written = producer.send(new ProducerRecord<>(topic, key, file)).get();
      producer.commitTransaction();
      return written;
    } catch (ExecutionException e) {
      producer.abortTransaction();
      throw new IllegalStateException("cannot publish to " + topic, e.getCause());
    } catch (InterruptedException e) {
      producer.abortTransaction();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
