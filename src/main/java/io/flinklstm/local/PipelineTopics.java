package io.flinklstm.local;

import io.flinklstm.wire.KafkaClientProperties;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The four topics of a pipeline: events in, scores and dead letters out, and the compacted models
 * topic between the sidecar and the job.
 */
public record PipelineTopics(String events, String scores, String deadLetters, String models) {

  /** The names the job and the sidecar use by default. */
  public static PipelineTopics defaults() {
    return new PipelineTopics("events", "scores", "dead-letters", "models");
  }

  /**
   * Topics of one run on a shared broker: {@code <prefix>-events}, {@code <prefix>-scores}, {@code
   * <prefix>-dead-letters} and {@code <prefix>-models}, so that earlier runs' events and models
   * stay out of it (the job reads its topics from the earliest offset).
   */
  public static PipelineTopics prefixed(String prefix) {
    return new PipelineTopics(
        prefix + "-events", prefix + "-scores", prefix + "-dead-letters", prefix + "-models");
  }

  /**
   * Creates the topics that do not exist yet: events and scores with {@code partitions} partitions,
   * dead letters with one, models with one and compacted (the newest version of each model stays).
   * Topics that exist are left as they are.
   */
  public void create(String bootstrapServers, KafkaClientProperties properties, int partitions)
      throws InterruptedException {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    List<NewTopic> topics =
        List.of(
            new NewTopic(events, partitions, (short) 1),
            new NewTopic(scores, partitions, (short) 1),
            new NewTopic(deadLetters, 1, (short) 1),
            new NewTopic(models, 1, (short) 1)
                .configs(
                    Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        Integer.toString(64 << 20))));
    try (Admin admin =
        Admin.create(
            properties.forClient(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)))) {
      for (NewTopic topic : topics) {
        try {
          admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic '" + topic.name() + "' at " + bootstrapServers, e.getCause());
          }
        } catch (TimeoutException e) {
          throw new IllegalStateException(
              "creating topic '" + topic.name() + "' at " + bootstrapServers + " timed out", e);
        }
      }
      awaitVisible(admin, topics.stream().map(NewTopic::name).toList());
    }
  }

  /** Waits until the broker's metadata, not only the controller, knows every topic. */
  private static void awaitVisible(Admin admin, List<String> names) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topics " + names + " did not become visible", e);
        }
        Thread.sleep(100);
      }
    }
  }
}
