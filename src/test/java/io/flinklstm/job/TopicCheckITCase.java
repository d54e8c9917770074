package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.wire.EventCodec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job's start-up check of its topics, against a real broker and against none. */
class TopicCheckITCase {
  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  private static KafkaJobConfig config(ScoringTopics topics, String bootstrapServers) {
    return topics.jobConfig(
        bootstrapServers, EventCodec.DEFAULT_MAX_BYTES, EventCodec.DEFAULT_MAX_VALUES);
  }

  @Test
  void passesWhenEveryTopicExists() {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "check");
    assertThatCode(
            () ->
                TopicCheck.requireTopics(
                    config(topics, KAFKA.bootstrapServers()), Duration.ofSeconds(30)))
        .doesNotThrowAnyException();
  }

  @Test
  void namesEachMissingTopicWithItsOption() {
    ScoringTopics created = ScoringTopics.create(KAFKA, "check");
    ScoringTopics topics =
        new ScoringTopics(
            created.events(), "no-such-models", created.scores(), "no-such-dead-letters");
    assertThatThrownBy(
            () ->
                TopicCheck.requireTopics(
                    config(topics, KAFKA.bootstrapServers()), Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--models-topic 'no-such-models'")
        .hasMessageContaining("--dead-letters-topic 'no-such-dead-letters'")
        .message()
        .doesNotContain("--events-topic")
        .doesNotContain("--scores-topic");
  }

  @Test
  void namesTheBootstrapServersWhenKafkaDoesNotAnswer() {
    ScoringTopics topics = new ScoringTopics("e", "m", "s", "d");
    assertThatThrownBy(
            () -> TopicCheck.requireTopics(config(topics, "127.0.0.1:1"), Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "--bootstrap-servers 127.0.0.1:1: Kafka did not describe the job's topics");
  }
}
