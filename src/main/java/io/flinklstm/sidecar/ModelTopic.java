package io.flinklstm.sidecar;

import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelFileSummary;
import io.flinklstm.wire.KafkaClientProperties;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The models topic as the operator's commands see it: what it holds, read as the job reads it
 * ({@code read_committed}, from the beginning), and a transactional publisher of one more version.
 * What the sidecar does on its own, {@code model publish} and {@code model list} do by hand.
 */
public final class ModelTopic {
  private final String bootstrapServers;
  private final String topic;
  private final Duration timeout;
  private final KafkaClientProperties clientProperties;

  /**
   * @param timeout the longest wait for the topic's metadata, for reading it to its end and for a
   *     publish to commit
   * @param clientProperties the user's Kafka client properties, under the settings of each client
   */
  public ModelTopic(
      String bootstrapServers,
      String topic,
      Duration timeout,
      KafkaClientProperties clientProperties) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.timeout = timeout;
    this.clientProperties = clientProperties;
  }

  /**
   * One record of the topic.
   *
   * @param name the record's key, the model's name
   * @param summary the file as {@link ModelFile#inspect} reads it; null if it does not read
   * @param problem why it does not read; null if it does
   */
  public record Entry(
      int partition, long offset, String name, ModelFileSummary summary, String problem) {}

  /**
   * Every committed record of the topic in partition and offset order, each file checked against
   * {@code keys} (none: signatures are reported, not verified).
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if the topic does not answer or cannot
   *     be read to its end in time
   */
  public List<Entry> entries(Collection<PublicKey> keys) {
    List<Entry> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      LatestModelReader.readToEnd(consumer, topic, timeout, r -> out.add(entry(r, keys)));
    }
    out.sort(
        (a, b) ->
            a.partition() != b.partition()
                ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
    return out;
  }

  private static Entry entry(ConsumerRecord<byte[], byte[]> r, Collection<PublicKey> keys) {
    String name = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    if (r.value() == null) {
      return new Entry(r.partition(), r.offset(), name, null, "no value (a tombstone)");
    }
    try {
      return new Entry(r.partition(), r.offset(), name, ModelFile.inspect(r.value(), keys), null);
    } catch (Exception e) {
      return new Entry(r.partition(), r.offset(), name, null, e.getMessage());
    }
  }

  /** The newest version of {@code name} the topic holds, as the job would serve it. */
  public Optional<Long> newestVersion(String name) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      return LatestModelReader.read(consumer, topic, name, timeout).map(m -> m.info().version());
    }
  }

  /**
   * Writes one model file under {@code name} in a Kafka transaction of {@code transactionalId}
   * (which fences an earlier publisher of the same id) and returns once it committed.
   *
   * @throws ModelPublisher.FatalPublishException when the broker refuses the producer for good
   *     (authorisation, a newer producer of the id)
   * @throws InterruptedException if interrupted while retrying
   */
  public void publish(String name, byte[] file, String transactionalId)
      throws InterruptedException {
    Properties producer =
        clientProperties.transactionalProducer(
            bootstrapServers,
            transactionalId,
            Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Integer.toString(64 << 20),
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                Long.toString(Math.max(1, timeout.toMillis()))));
    try (ModelPublisher publisher =
        new ModelPublisher(
            () ->
                new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer()),
            topic,
            new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5)),
            timeout)) {
      publisher.publish(name, file);
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p =
        clientProperties.committedReader(
            bootstrapServers,
            Map.of(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Integer.toString(64 << 20),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                Long.toString(Math.max(1, timeout.toMillis()))));
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
