package io.flinklstm.sidecar;

import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.format.ModelFile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the models topic from the beginning to its end and returns the newest valid version of one
 * model, as the job would serve it. The consumer must read with {@code read_committed}.
 */
final class LatestModelReader {
  private static final Logger LOG = LoggerFactory.getLogger(LatestModelReader.class);

  private LatestModelReader() {}

  static Optional<SequenceModel> read(
      Consumer<byte[], byte[]> consumer, String topic, String modelName, Duration timeout) {
    SequenceModel[] newest = {null};
    readToEnd(
        consumer,
        topic,
        timeout,
        r -> {
          if (r.key() == null
              || r.value() == null
              || !modelName.equals(new String(r.key(), StandardCharsets.UTF_8))) {
            return;
          }
          try {
            SequenceModel m = ModelFile.readAny(r.value(), ModelFile.ReadOptions.acceptUnsigned());
            if (newest[0] == null || m.info().version() > newest[0].info().version()) {
              newest[0] = m;
            }
          } catch (Exception e) {
            LOG.info(
                "skipping an unreadable model record at {}:{}: {}",
                r.partition(),
                r.offset(),
                e.getMessage());
          }
        });
    return Optional.ofNullable(newest[0]);
  }

  /**
   * Hands every committed record of {@code topic}, from the beginning of each partition to its end
   * as of the call, to {@code each}; the consumer must read with {@code read_committed}.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if that takes longer than {@code
   *     timeout}
   */
  static void readToEnd(
      Consumer<byte[], byte[]> consumer,
      String topic,
      Duration timeout,
      java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, timeout).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .collect(Collectors.toList());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached(consumer, end)) {
      if (System.nanoTime() > deadline) {
        throw new org.apache.kafka.common.errors.TimeoutException(
            "reading topic '" + topic + "' to its end took longer than " + timeout);
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        each.accept(r);
      }
    }
    consumer.unsubscribe();
  }

  private static boolean reached(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
