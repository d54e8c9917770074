package io.flinklstm.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Before the job starts: Kafka takes the job's credentials, and the four topics it reads and writes
 * exist and let it do what it must (read events and models, write scores and dead letters). A Kafka
 * source or sink that cannot fails its job over and over with stack traces; this fails once, at
 * start-up, with one line naming the options, the topics and what is missing.
 */
final class TopicCheck {
  /** How long Kafka has to answer. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicCheck() {}

  /** A topic the job uses: the option that names it, and what the job does with it. */
  private record Use(String option, String topic, AclOperation operation) {}

  /**
   * @throws IllegalArgumentException naming each missing or forbidden topic with its option, the
   *     refused credentials, or {@code --bootstrap-servers} when Kafka does not answer within
   *     {@code timeout}
   */
  static void requireTopics(KafkaJobConfig kafka, Duration timeout) throws InterruptedException {
    List<Use> uses =
        new ArrayList<>(
            List.of(
                new Use("--events-topic", kafka.eventsTopic(), AclOperation.READ),
                new Use("--models-topic", kafka.modelsTopic(), AclOperation.READ),
                new Use("--scores-topic", kafka.scoresTopic(), AclOperation.WRITE),
                new Use("--dead-letters-topic", kafka.deadLettersTopic(), AclOperation.WRITE)));
    if (kafka.feedbackTopic() != null) {
      uses.add(new Use("--feedback-topic", kafka.feedbackTopic(), AclOperation.READ));
    }
    Properties p =
        kafka
            .clientProperties()
            .forClient(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    Long.toString(timeout.toMillis()),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    Long.toString(timeout.toMillis())));
    List<String> missing = new ArrayList<>();
    List<String> forbidden = new ArrayList<>();
    try (Admin admin = Admin.create(p)) {
      Map<String, KafkaFuture<TopicDescription>> described =
          admin
              .describeTopics(
                  uses.stream().map(Use::topic).distinct().toList(),
                  new DescribeTopicsOptions().includeAuthorizedOperations(true))
              .topicNameValues();
      for (Use use : uses) {
        try {
          TopicDescription d =
              described.get(use.topic()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          Set<AclOperation> allowed = d.authorizedOperations();
          if (allowed != null && !allows(allowed, use.operation())) {
            forbidden.add(use.option() + " '" + use.topic() + "' (" + use.operation() + ")");
          }
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof UnknownTopicOrPartitionException) {
            missing.add(use.option() + " '" + use.topic() + "'");
          } else if (cause instanceof TopicAuthorizationException) {
            // Not even allowed to see it: what it needs is what the job does with it.
            forbidden.add(use.option() + " '" + use.topic() + "' (" + use.operation() + ")");
          } else {
            throw unreachable(kafka, timeout, cause);
          }
        }
      }
    } catch (TimeoutException e) {
      throw unreachable(kafka, timeout, e);
    }
    if (!forbidden.isEmpty()) {
      throw new IllegalArgumentException(
          "Kafka at "
              + kafka.bootstrapServers()
              + " does not allow the job's principal "
              + String.join(", ", forbidden)
              + "; grant it those operations (ACLs) on the topics, and READ on groups '"
              + kafka.groupId()
              + "*' and WRITE on transactional ids '"
              + kafka.transactionalIdPrefix()
              + "*'");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "no such topic on "
              + kafka.bootstrapServers()
              + ": "
              + String.join(", ", missing)
              + "; create the job's topics before it starts (the models topic compacted)");
    }
  }

  /**
   * Whether {@code allowed} grants {@code operation}; ALL grants every one, as does an implied one.
   */
  private static boolean allows(Set<AclOperation> allowed, AclOperation operation) {
    return allowed.contains(operation) || allowed.contains(AclOperation.ALL);
  }

  private static IllegalArgumentException unreachable(
      KafkaJobConfig kafka, Duration timeout, Throwable cause) {
    if (cause instanceof AuthenticationException) {
      return new IllegalArgumentException(
          "Kafka at "
              + kafka.bootstrapServers()
              + " refused the job's credentials (--kafka-property, --kafka-properties): "
              + cause.getMessage());
    }
    return new IllegalArgumentException(
        "--bootstrap-servers "
            + kafka.bootstrapServers()
            + ": Kafka did not describe the job's topics within "
            + timeout.toSeconds()
            + " s ("
            + cause
            + ")");
  }
}
