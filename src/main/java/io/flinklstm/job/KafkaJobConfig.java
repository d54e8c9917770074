package io.flinklstm.job;

import io.flinklstm.wire.KafkaClientProperties;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the job reads and writes, and how it keeps exactly-once delivery.
 *
 * <p>Exactly-once relies on Kafka transactions that stay open from one checkpoint to the next. If
 * the job is down for longer than the transaction timeout, the broker aborts them and the scores
 * they held are lost; so the timeout must exceed the checkpoint interval plus the longest restart
 * delay, and must not exceed the broker's {@code transaction.max.timeout.ms} (15 minutes by
 * default). {@link #validate()} checks the first at start-up.
 *
 * @param bootstrapServers the Kafka cluster
 * @param eventsTopic events in
 * @param modelsTopic model updates in (compacted; key = model name)
 * @param scoresTopic scores out
 * @param deadLettersTopic rejected inputs out
 * @param groupId the consumer group of the events source
 * @param transactionalIdPrefix unique per job on the cluster, so its transactions fence only its
 *     own
 * @param checkpointInterval how often state is checkpointed and scores are committed
 * @param transactionTimeout the producer's {@code transaction.timeout.ms}
 * @param maxRestartDelay the longest delay the restart strategy waits before a restart
 * @param maxEventBytes events larger than this go to dead letters
 * @param maxValues events with more values than this go to dead letters
 * @param clientProperties the user's Kafka client properties (security and the like), for the job's
 *     sources, sinks and the start-up check of its topics
 * @param feedbackTopic analysts' verdicts in ({@link io.flinklstm.wire.Verdict}), or null to read
 *     none
 */
public record KafkaJobConfig(
    String bootstrapServers,
    String eventsTopic,
    String modelsTopic,
    String scoresTopic,
    String deadLettersTopic,
    String groupId,
    String transactionalIdPrefix,
    Duration checkpointInterval,
    Duration transactionTimeout,
    Duration maxRestartDelay,
    int maxEventBytes,
    int maxValues,
    KafkaClientProperties clientProperties,
    String feedbackTopic) {

  public KafkaJobConfig {
    Objects.requireNonNull(clientProperties, "clientProperties");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    requireName("--events-topic", eventsTopic);
    requireName("--models-topic", modelsTopic);
    requireName("--scores-topic", scoresTopic);
    requireName("--dead-letters-topic", deadLettersTopic);
    requireName("--group-id", groupId);
    requireName("--transactional-id-prefix", transactionalIdPrefix);
    if (checkpointInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "--checkpoint-interval must be at least 10ms, was " + checkpointInterval);
    }
    if (maxEventBytes < 16) {
      throw new IllegalArgumentException(
          "--max-event-bytes must be at least 16, was " + maxEventBytes);
    }
    if (maxValues < 1) {
      throw new IllegalArgumentException("--max-values must be at least 1, was " + maxValues);
    }
    if (feedbackTopic != null) {
      requireName("--feedback-topic", feedbackTopic);
      for (String other : new String[] {eventsTopic, modelsTopic, scoresTopic, deadLettersTopic}) {
        if (feedbackTopic.equals(other)) {
          throw new IllegalArgumentException(
              "--feedback-topic '" + feedbackTopic + "' must be a topic of its own");
        }
      }
    }
  }

  /** This configuration reading analysts' verdicts from {@code topic} (null: none). */
  public KafkaJobConfig withFeedbackTopic(String topic) {
    return new KafkaJobConfig(
        bootstrapServers,
        eventsTopic,
        modelsTopic,
        scoresTopic,
        deadLettersTopic,
        groupId,
        transactionalIdPrefix,
        checkpointInterval,
        transactionTimeout,
        maxRestartDelay,
        maxEventBytes,
        maxValues,
        clientProperties,
        topic);
  }

  /**
   * This configuration with the checkpoint interval and longest restart delay the job runs with.
   */
  public KafkaJobConfig withRuntime(Duration interval, Duration restartDelay) {
    return new KafkaJobConfig(
        bootstrapServers,
        eventsTopic,
        modelsTopic,
        scoresTopic,
        deadLettersTopic,
        groupId,
        transactionalIdPrefix,
        interval,
        transactionTimeout,
        restartDelay,
        maxEventBytes,
        maxValues,
        clientProperties,
        feedbackTopic);
  }

  /**
   * Checks that transactions outlive a checkpoint interval plus a restart.
   *
   * @throws IllegalArgumentException naming the options and their values
   */
  public void validate() {
    Duration needed = checkpointInterval.plus(maxRestartDelay);
    if (transactionTimeout.compareTo(needed) <= 0) {
      throw new IllegalArgumentException(
          "--transaction-timeout ("
              + transactionTimeout
              + ") must exceed --checkpoint-interval ("
              + checkpointInterval
              + ") plus --max-restart-delay ("
              + maxRestartDelay
              + "), or Kafka aborts open transactions while the job restarts and their scores are"
              + " lost");
    }
    if (transactionTimeout.compareTo(Duration.ofMinutes(15)) > 0) {
      throw new IllegalArgumentException(
          "--transaction-timeout ("
              + transactionTimeout
              + ") exceeds 15 minutes, the broker's default transaction.max.timeout.ms");
    }
  }

  private static void requireName(String option, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(option + " must not be blank");
    }
  }
}
