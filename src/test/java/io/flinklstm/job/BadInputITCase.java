package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.job.BadInputs.Bad;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ModelPublisher;
import io.flinklstm.testutil.ScoringCluster;
import io.flinklstm.testutil.ScoringJobRun;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.ScoreRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input of every kind, events and model updates, interleaved with valid events: each bad input
 * lands in the dead-letter topic exactly once with its reason and coordinates, the job never
 * restarts, the served model stays in place, and every valid event is scored exactly once.
 */
class BadInputITCase {
  private static final String MODEL = "default";
  private static final List<String> KEYS = EventSeries.keys(24);
  private static final int ROUNDS = 40;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Duration LOOK_FOR_EXTRAS = Duration.ofMillis(1000);
  private static final byte[] V1 = TestModels.file(MODEL, 1, EventSeries.DIMENSION, 8, 31);
  private static final byte[] V2 = TestModels.file(MODEL, 2, EventSeries.DIMENSION, 8, 32);
  private static final byte[] OTHER_V1 = TestModels.file(MODEL, 1, EventSeries.DIMENSION, 8, 33);
  private static final ScoringConfig CONFIG =
      ScoringConfig.builder(MODEL).coldStart(ColdStartPolicy.BUFFER, 1000).build();

  private static final InMemoryReporter METRICS = InMemoryReporter.create();

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      ScoringCluster.extension(METRICS.addToConfiguration(new Configuration()));

  @Test
  void everyBadInputIsDeadLetteredOnceAndEveryValidEventScoredOnce(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "bad-input");
    String kafka = KAFKA.bootstrapServers();
    KafkaJobConfig config =
        topics.jobConfig(kafka, BadInputs.MAX_EVENT_BYTES, BadInputs.MAX_VALUES);
    Inputs inputs;
    List<ScoreRecord> scores;
    List<DeadLetter> deadLetters;
    try (ModelPublisher models = new ModelPublisher(kafka, topics.models());
        EventProducer events = new EventProducer(kafka, topics.events());
        TopicReader scoresOut = TopicReader.readCommitted(kafka, topics.scores());
        TopicReader deadLettersOut = TopicReader.readCommitted(kafka, topics.deadLetters())) {
      inputs = send(models, events);
      try (ScoringJobRun job = ScoringJobRun.start(cluster, config, CONFIG, "bad-input")) {
        scoresOut.awaitCount(inputs.valid.size(), TIMEOUT);
        deadLettersOut.awaitCount(inputs.bad.size(), TIMEOUT);
        scores = JobOutput.scores(scoresOut.readFor(LOOK_FOR_EXTRAS));
        // The wait above gave late extras time to arrive here as well.
        deadLetters = JobOutput.deadLetters(deadLettersOut.readFor(Duration.ofMillis(200)));

        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.maxAttemptNumber()).as("task attempts after the first").isZero();
        assertThat(restartsMetric(job)).isZero();
      }
    }

    Map<String, Bad> expected = inputs.bad;
    assertThat(expected).hasSizeGreaterThanOrEqualTo(1000 + 20);
    assertThat(scores.stream().map(JobOutput::id).toList())
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(inputs.valid);
    assertThat(scores).extracting(s -> s.modelVersion).containsOnly(1L);

    List<String> deadLetterSources =
        deadLetters.stream()
            .map(d -> where(d.sourceTopic, d.sourcePartition, d.sourceOffset))
            .toList();
    assertThat(deadLetterSources).doesNotHaveDuplicates();
    assertThat(countByReason(deadLetters, d -> d.reason))
        .isEqualTo(countByReason(expected.values(), b -> b.reason().code()));
    Map<String, DeadLetter> bySource =
        deadLetters.stream()
            .collect(
                Collectors.toMap(
                    d -> where(d.sourceTopic, d.sourcePartition, d.sourceOffset),
                    Function.identity()));
    assertThat(bySource).containsOnlyKeys(expected.keySet());
    expected.forEach((source, bad) -> assertDeadLetter(bySource.get(source), bad));
  }

  /**
   * What was sent: the ids of the valid events, and the bad inputs by where they landed in Kafka
   * (topic, partition, offset), which is what their dead letters must name.
   */
  private record Inputs(List<String> valid, Map<String, Bad> bad) {}

  /**
   * Sends v1, then rounds of valid events each followed by one bad event of every kind, then the
   * bad model updates, each in its own transaction.
   */
  private static Inputs send(ModelPublisher models, EventProducer events) throws Exception {
    models.publish(MODEL, V1);
    List<String> valid = new ArrayList<>();
    Map<Future<RecordMetadata>, Bad> sent = new HashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      for (String key : KEYS) {
        events.send(key, EventSeries.json(EventSeries.event(key, round)));
        valid.add(JobOutput.id(key, EventSeries.ts(round)));
      }
      for (Bad bad : BadInputs.events(KEYS, round)) {
        sent.put(events.send(bad.recordKey(), bad.value()), bad);
      }
    }
    events.flush();
    Map<String, Bad> bad = new HashMap<>();
    for (Map.Entry<Future<RecordMetadata>, Bad> e : sent.entrySet()) {
      bad.put(where(e.getKey().get()), e.getValue());
    }
    for (Bad model : BadInputs.models(MODEL, V1, V2, OTHER_V1)) {
      bad.put(where(models.publish(model.recordKey(), model.value())), model);
    }
    return new Inputs(valid, bad);
  }

  private static void assertDeadLetter(DeadLetter d, Bad bad) {
    assertThat(d.reason).as("reason for %s", bad.kind()).isEqualTo(bad.reason().code());
    assertThat(d.message).as("message for %s", bad.kind()).isNotBlank();
    switch (bad.reason()) {
      case WRONG_DIMENSION, LATE, UNKNOWN_MODEL ->
          // Refused after parsing: the key is known, the payload is the event re-encoded.
          assertThat(d.key).isEqualTo(bad.recordKey());
      default ->
          assertThat(d.originalBytes()).as("payload of %s", bad.kind()).isEqualTo(bad.value());
    }
  }

  private static long restartsMetric(ScoringJobRun job) {
    Map<String, Metric> restarts = METRICS.findMetrics(job.jobId(), "\\.numRestarts$");
    assertThat(restarts).hasSize(1);
    return (Long) ((Gauge<?>) restarts.values().iterator().next()).getValue();
  }

  private static <T> Map<String, Long> countByReason(
      Collection<T> items, Function<T, String> reason) {
    return items.stream().collect(Collectors.groupingBy(reason, Collectors.counting()));
  }

  private static String where(RecordMetadata m) {
    return where(m.topic(), m.partition(), m.offset());
  }

  private static String where(String topic, int partition, long offset) {
    return topic + "/" + partition + "@" + offset;
  }
}
