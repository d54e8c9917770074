package io.flinklstm.cli;

import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.WireJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Sends dead letters' original events back to the events topic, so that events refused for a reason
 * that has passed (a backfill that overflowed the cold-start buffer, a model that was missing) are
 * scored after all.
 *
 * <p>Exactly once per dead letter: the dead letters are read with a consumer group, and each batch
 * of re-sent events is written in a Kafka transaction that also moves the group past the batch. A
 * run reads from the group's position to the end the topic had when the run started; dead letters
 * that the filter does not select are passed over with the rest, so a group considers each dead
 * letter once. A run that fails leaves its open transaction to be aborted; the next run starts
 * where the last committed batch ended. To select again among dead letters a group has passed, use
 * another group.
 */
final class DeadLetterRedrive {
  /**
   * Which dead letters are sent back: those read from {@code eventsTopic} whose reason, key and
   * time (when they were refused) are selected; an empty set selects all.
   */
  record Filter(
      String eventsTopic, Set<String> reasons, Set<String> keys, Instant since, Instant until) {
    boolean selects(DeadLetter d) {
      return eventsTopic.equals(d.sourceTopic)
          && (reasons.isEmpty() || reasons.contains(d.reason))
          && (keys.isEmpty() || keys.contains(d.key))
          && (since == null || d.time >= since.toEpochMilli())
          && (until == null || d.time < until.toEpochMilli())
          && d.payload != null;
    }
  }

  /**
   * What a run did.
   *
   * @param read dead letters read
   * @param redriven events sent back (or that a dry run would send)
   * @param unreadable records that are not dead letters
   */
  record Outcome(long read, long redriven, long unreadable) {
    long passedOver() {
      return read - redriven;
    }
  }

  private DeadLetterRedrive() {}

  /**
   * Reads the dead letters from the group's position to the current end, re-sends those the filter
   * selects to the filter's events topic, and moves the group past them, batch by batch in
   * transactions. With no producer (a dry run), counts only and moves nothing.
   *
   * @param consumer of the dead-letter topic, read_committed, without automatic commits, in the
   *     group {@code groupId}
   * @param producer a transactional producer, its transactions initialised; null for a dry run
   * @throws KafkaException when Kafka fails; what was committed stays redriven
   */
  static Outcome run(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      String groupId,
      String deadLettersTopic,
      Filter filter,
      Duration timeout) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(deadLettersTopic, timeout).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(Set.copyOf(partitions), timeout);
    for (TopicPartition p : partitions) {
      OffsetAndMetadata at = committed.get(p);
      if (at == null) {
        consumer.seekToBeginning(List.of(p));
      } else {
        consumer.seek(p, at.offset());
      }
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    long read = 0;
    long redriven = 0;
    long unreadable = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached(consumer, end)) {
      Map<TopicPartition, OffsetAndMetadata> batch = new HashMap<>();
      List<ProducerRecord<byte[], byte[]>> sends = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition p = new TopicPartition(r.topic(), r.partition());
        if (r.offset() >= end.get(p)) {
          continue;
        }
        batch.put(p, new OffsetAndMetadata(r.offset() + 1));
        read++;
        DeadLetter d;
        try {
          d = WireJson.decodeDeadLetter(r.value());
        } catch (IOException | RuntimeException e) {
          unreadable++;
          continue;
        }
        if (filter.selects(d)) {
          ProducerRecord<byte[], byte[]> event =
              new ProducerRecord<>(
                  filter.eventsTopic(),
                  d.key == null ? null : d.key.getBytes(StandardCharsets.UTF_8),
                  d.originalBytes());
          event
              .headers()
              .add(
                  DeadLetter.REDRIVEN_FROM_HEADER,
                  (r.topic() + "/" + r.partition() + "/" + r.offset())
                      .getBytes(StandardCharsets.UTF_8));
          sends.add(event);
        }
      }
      if (batch.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new org.apache.kafka.common.errors.TimeoutException(
              "reading '" + deadLettersTopic + "' to its end took longer than " + timeout);
        }
        continue;
      }
      redriven += sends.size();
      if (producer != null) {
        producer.beginTransaction();
        try {
          for (ProducerRecord<byte[], byte[]> event : sends) {
            producer.send(event);
          }
          producer.sendOffsetsToTransaction(batch, new ConsumerGroupMetadata(groupId));
          producer.commitTransaction();
        } catch (KafkaException e) {
          try {
            producer.abortTransaction();
          } catch (KafkaException abort) {
            e.addSuppressed(abort);
          }
          throw e;
        }
      }
      deadline = System.nanoTime() + timeout.toNanos();
    }
    return new Outcome(read, redriven, unreadable);
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
