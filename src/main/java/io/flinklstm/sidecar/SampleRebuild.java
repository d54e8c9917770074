package io.flinklstm.sidecar;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The read behind a restarted sidecar's sample: per partition, up to a number of events before its
 * consumer group's committed offset, read by a consumer without a group (so the group's offsets do
 * not move, and the group then goes on from them: nothing is read twice). A partition the group has
 * no offset for is read from its start by the group anyway, so it is left out here.
 */
final class SampleRebuild {
  /** The longest the read goes on; the sidecar then starts without the rest. */
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  private static final Duration POLL = Duration.ofMillis(200);

  private SampleRebuild() {}

  /**
   * Hands each event before the group's offsets to {@code observe}, until every partition is read
   * up to them, {@code running} turns false or {@link #TIMEOUT} passes.
   *
   * @param history a consumer without a group, which this read assigns and seeks
   * @param group the sidecar's consumer, not yet subscribed, for its group's committed offsets
   * @param perPartition the most events read per partition
   * @param modelMade when the current model was made (epoch ms; {@link Long#MIN_VALUE} before any)
   * @param observe takes an event; true when it was one for the sidecar's model
   * @param until filled with the partitions to read and the offset each is read to; what is left in
   *     it when this returns was not read to the end
   * @return the events observed whose record timestamp is after {@code modelMade}: those the
   *     current model was not trained on
   */
  static long read(
      Consumer<byte[], byte[]> history,
      Consumer<byte[], byte[]> group,
      String topic,
      long perPartition,
      long modelMade,
      Predicate<ConsumerRecord<byte[], byte[]>> observe,
      BooleanSupplier running,
      Map<TopicPartition, Long> until) {
    List<TopicPartition> partitions = new ArrayList<>();
    history
        .partitionsFor(topic)
        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    group
        .committed(new HashSet<>(partitions))
        .forEach(
            (tp, committed) -> {
              if (committed != null && committed.offset() > 0) {
                until.put(tp, committed.offset());
              }
            });
    if (until.isEmpty()) {
      return 0;
    }
    long unlearnt = 0;
    history.assign(until.keySet());
    Map<TopicPartition, Long> first = history.beginningOffsets(until.keySet());
    until.forEach((tp, end) -> history.seek(tp, Math.max(first.get(tp), end - perPartition)));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (running.getAsBoolean() && !until.isEmpty() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : history.poll(POLL)) {
        Long end = until.get(new TopicPartition(r.topic(), r.partition()));
        if (end != null && r.offset() < end && observe.test(r) && r.timestamp() > modelMade) {
          unlearnt++;
        }
      }
      until.entrySet().removeIf(e -> history.position(e.getKey()) >= e.getValue());
      history.pause(history.assignment().stream().filter(tp -> !until.containsKey(tp)).toList());
    }
    return unlearnt;
  }
}
