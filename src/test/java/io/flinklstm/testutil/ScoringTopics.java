package io.flinklstm.testutil;

import io.flinklstm.job.KafkaJobConfig;
import io.flinklstm.wire.KafkaClientProperties;
import java.time.Duration;

/**
 * The four topics of one scoring job, with names no other test uses, and a job configuration that
 * reads and writes them with its own consumer group and transactional ids.
 *
 * @param events 4 partitions, so every source subtask has one
 * @param models 1 partition, as the model topic's single writer and reader need
 * @param scores 4 partitions
 * @param deadLetters 1 partition
 */
public record ScoringTopics(String events, String models, String scores, String deadLetters) {
  public static final int EVENT_PARTITIONS = 4;

  /** Checkpoints, and so committed output, every half second: tests wait for output in seconds. */
  public static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(500);

  public static final Duration MAX_RESTART_DELAY = Duration.ofMillis(200);

  /**
   * Long enough to span a checkpoint and a restart; short enough that a transaction left open by
   * mistake blocks read_committed readers for seconds, not the broker's default minutes.
   */
  public static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);

  /** Creates the topics of a new job on the broker. */
  public static ScoringTopics create(KafkaBroker kafka, String prefix) {
    ScoringTopics topics =
        new ScoringTopics(
            KafkaBroker.uniqueName(prefix + "-events"),
            KafkaBroker.uniqueName(prefix + "-models"),
            KafkaBroker.uniqueName(prefix + "-scores"),
            KafkaBroker.uniqueName(prefix + "-dead-letters"));
    kafka.createTopics(EVENT_PARTITIONS, topics.events, topics.scores);
    kafka.createTopics(1, topics.models, topics.deadLetters);
    return topics;
  }

  /** The job's Kafka configuration with the given event limits. */
  public KafkaJobConfig jobConfig(String bootstrapServers, int maxEventBytes, int maxValues) {
    return new KafkaJobConfig(
        bootstrapServers,
        events,
        models,
        scores,
        deadLetters,
        KafkaBroker.uniqueName("group"),
        KafkaBroker.uniqueName("txn"),
        CHECKPOINT_INTERVAL,
        TRANSACTION_TIMEOUT,
        MAX_RESTART_DELAY,
        maxEventBytes,
        maxValues,
        KafkaClientProperties.NONE,
        null);
  }
}
