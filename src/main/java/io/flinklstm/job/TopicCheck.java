package io.flinklstm.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Before the job starts: the four topics it reads and writes exist. A Kafka source or sink whose
 * topic is missing fails its job over and over with stack traces; this fails once, at start-up,
 * naming the options and topics.
 */
final class TopicCheck {
  /** How long Kafka has to answer. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicCheck() {}

  /**
   * @throws IllegalArgumentException naming each missing topic with its option, or {@code
   *     --bootstrap-servers} when Kafka does not answer within {@code timeout}
   */
  static void requireTopics(KafkaJobConfig kafka, Duration timeout) throws InterruptedException {
    Map<String, String> topics = new LinkedHashMap<>();
    topics.put("--events-topic", kafka.eventsTopic());
    topics.put("--models-topic", kafka.modelsTopic());
    topics.put("--scores-topic", kafka.scoresTopic());
    topics.put("--dead-letters-topic", kafka.deadLettersTopic());
    Properties p = new Properties();
    p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.setProperty(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    Set<String> existing;
    try (Admin admin = Admin.create(p)) {
      existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalArgumentException(
          "--bootstrap-servers "
              + kafka.bootstrapServers()
              + ": Kafka did not list its topics within "
              + timeout.toSeconds()
              + " s ("
              + (e.getCause() != null ? e.getCause() : e)
              + ")");
    }
    List<String> missing = new ArrayList<>();
    topics.forEach(
        (option, topic) -> {
          if (!existing.contains(topic)) {
            missing.add(option + " '" + topic + "'");
          }
        });
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "no such topic on "
              + kafka.bootstrapServers()
              + ": "
              + String.join(", ", missing)
              + "; create the job's topics before it starts (the models topic compacted)");
    }
  }
}
