package io.flinklstm.sidecar;

import io.flinklstm.wire.KafkaClientProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the sidecar reads and publishes, and when it trains.
 *
 * @param bootstrapServers the Kafka cluster
 * @param eventsTopic events it learns from
 * @param modelsTopic where it publishes (and reads the newest published version at start-up)
 * @param groupId its own consumer group on the events topic
 * @param modelName the model it trains; the record key of what it publishes
 * @param defaultModel the job's default model, which scores events that name none: the sidecar
 *     learns from events naming its model, and from those naming none when this is its model
 * @param stateDir where the last published model is kept across restarts
 * @param trainEveryEvents a round is due after this many new events; 0 disables the count trigger
 * @param trainInterval a round is due after this long with at least {@code minNewEvents} new
 *     events; zero disables the time trigger
 * @param minNewEvents the fewest new events that make a timed round worth running
 * @param transactionalId the producer's transactional id; one sidecar per id
 * @param scoresTopic the job's scores, read for the events it flagged, which training then leaves
 *     out; null to learn from every event
 * @param rebuildEvents at start-up, the sample is refilled from up to this many events per
 *     partition before the group's committed offsets (those a previous run already learnt from and
 *     lost with its memory); 0 starts with an empty sample
 * @param clientProperties the user's Kafka client properties (security and the like), for every
 *     consumer and producer of the sidecar
 * @param feedbackTopic analysts' verdicts ({@link io.flinklstm.wire.Verdict}), read from its start:
 *     training never learns a confirmed anomaly's windows and learns a false positive's as any
 *     other; null to read none
 */
public record SidecarConfig(
    String bootstrapServers,
    String eventsTopic,
    String modelsTopic,
    String groupId,
    String modelName,
    String defaultModel,
    Path stateDir,
    long trainEveryEvents,
    Duration trainInterval,
    long minNewEvents,
    String transactionalId,
    String scoresTopic,
    long rebuildEvents,
    KafkaClientProperties clientProperties,
    String feedbackTopic) {

  /** Events per partition re-read at start-up unless told otherwise. */
  public static final long DEFAULT_REBUILD_EVENTS = 1_000_000;

  /** This configuration reading analysts' verdicts from {@code topic} (null: none). */
  public SidecarConfig withFeedbackTopic(String topic) {
    return new SidecarConfig(
        bootstrapServers,
        eventsTopic,
        modelsTopic,
        groupId,
        modelName,
        defaultModel,
        stateDir,
        trainEveryEvents,
        trainInterval,
        minNewEvents,
        transactionalId,
        scoresTopic,
        rebuildEvents,
        clientProperties,
        topic);
  }

  /** Whether an event naming {@code model} (null for none) is one this sidecar learns from. */
  public boolean learnsFrom(String model) {
    return modelName.equals(model == null ? defaultModel : model);
  }

  public SidecarConfig {
    Objects.requireNonNull(bootstrapServers, "--bootstrap-servers");
    Objects.requireNonNull(stateDir, "--state-dir");
    Objects.requireNonNull(clientProperties, "clientProperties");
    for (String[] option :
        new String[][] {
          {"--events-topic", eventsTopic},
          {"--models-topic", modelsTopic},
          {"--group-id", groupId},
          {"--model-name", modelName},
          {"--default-model", defaultModel},
          {"--transactional-id", transactionalId}
        }) {
      if (option[1] == null || option[1].isBlank()) {
        throw new IllegalArgumentException(option[0] + " must not be blank");
      }
    }
    if (trainEveryEvents < 0) {
      throw new IllegalArgumentException(
          "--train-every-events must not be negative, was " + trainEveryEvents);
    }
    if (trainInterval.isNegative()) {
      throw new IllegalArgumentException(
          "--train-interval must not be negative, was " + trainInterval);
    }
    if (trainEveryEvents == 0 && trainInterval.isZero()) {
      throw new IllegalArgumentException(
          "--train-every-events and --train-interval are both 0: the sidecar would never train");
    }
    if (scoresTopic != null && scoresTopic.isBlank()) {
      throw new IllegalArgumentException("--scores-topic must not be blank");
    }
    if (feedbackTopic != null && (feedbackTopic.isBlank() || feedbackTopic.equals(scoresTopic))) {
      throw new IllegalArgumentException(
          "--feedback-topic must be a topic of its own, was '" + feedbackTopic + "'");
    }
    if (rebuildEvents < 0) {
      throw new IllegalArgumentException(
          "--rebuild-events must not be negative, was " + rebuildEvents);
    }
    if (minNewEvents < 1) {
      throw new IllegalArgumentException(
          "--min-new-events must be at least 1, was " + minNewEvents);
    }
  }
}
