package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.BrokerProcess;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ModelPublisher;
import io.flinklstm.testutil.ReferenceScores;
import io.flinklstm.testutil.ScoringCluster;
import io.flinklstm.testutil.ScoringJobRun;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.TestDetectors;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.ScoreRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka broker crashes mid-stream: a broker in a process of its own ({@link BrokerProcess}) is
 * killed with SIGKILL while events stream and the job scores on a MiniCluster of two TaskManagers,
 * stays down for some seconds, and is started again on its ports and log directory. Every event
 * must get exactly one committed score, and the scores must be those of a run without failure,
 * whether the job rode the outage out or restarted from a checkpoint.
 */
class BrokerRestartITCase {
  private static final Path WORK = Path.of("target", "broker-restart").toAbsolutePath();
  private static final String MODEL_NAME = "default";
  private static final List<String> KEYS = EventSeries.keys(24);
  private static final int ROUNDS = 120;
  private static final int TOTAL = ROUNDS * KEYS.size();
  private static final int ROUNDS_BEFORE_STREAMING = 10;
  private static final int SCORES_BEFORE_KILL = 40 * KEYS.size();
  private static final Duration DOWN = Duration.ofSeconds(8);
  private static final Duration PAUSE_BETWEEN_ROUNDS = Duration.ofMillis(60);
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Duration LOOK_FOR_EXTRAS = Duration.ofSeconds(2);
  private static final LstmModel MODEL =
      TestModels.model(MODEL_NAME, 1, EventSeries.DIMENSION, 8, 17);
  private static final DetectorConfig DETECTOR = TestDetectors.SHORT_WINDOWS;
  private static final ScoringConfig SCORING =
      ScoringConfig.builder(MODEL_NAME)
          .detector(DETECTOR)
          .swapPolicy(SwapPolicy.KEEP)
          .coldStart(ColdStartPolicy.BUFFER, 1000)
          .build();
  private static final ScoringTopics TOPICS =
      new ScoringTopics("events", "models", "scores", "dead-letters");

  @RegisterExtension
  static final MiniClusterExtension FLINK = ScoringCluster.extension(new Configuration());

  @Test
  void aBrokerKilledAndRestartedMidStreamLosesAndRepeatsNoScore(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    List<Event> events = EventSeries.rounds(KEYS, 0, ROUNDS);
    int beforeStreaming = ROUNDS_BEFORE_STREAMING * KEYS.size();

    try (BrokerProcess broker = BrokerProcess.start(WORK)) {
      String kafka = broker.bootstrapServers();
      createTopics(kafka);
      KafkaJobConfig config =
          TOPICS.jobConfig(kafka, EventCodec.DEFAULT_MAX_BYTES, EventCodec.DEFAULT_MAX_VALUES);
      try (ModelPublisher models = new ModelPublisher(kafka, TOPICS.models());
          EventProducer producer = new EventProducer(kafka, TOPICS.events());
          TopicReader scores = TopicReader.readCommitted(kafka, TOPICS.scores());
          ScoringJobRun job = ScoringJobRun.start(cluster, config, SCORING, "broker-restart")) {
        models.publish(MODEL_NAME, ModelFile.write(MODEL));
        job.awaitAllTasksRunning(TIMEOUT);
        producer.sendEvents(events.subList(0, beforeStreaming), beforeStreaming, Duration.ZERO);
        scores.awaitCount(beforeStreaming, TIMEOUT);
        CompletableFuture<Void> streaming =
            CompletableFuture.runAsync(
                () -> send(producer, events.subList(beforeStreaming, TOTAL)));
        scores.awaitCount(SCORES_BEFORE_KILL, TIMEOUT);
        assertThat(job.completedCheckpoints()).as("checkpoints before the kill").isPositive();

        broker.kill();
        long killed = System.nanoTime();
        Thread.sleep(DOWN.toMillis());
        broker.restart();
        long answering = System.nanoTime();
        int committedWhenAnswering = scores.records().size();
        scores.awaitCount(committedWhenAnswering + 1, TIMEOUT);
        long firstNewScore = System.nanoTime();

        streaming.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        scores.awaitCount(TOTAL, TIMEOUT);
        List<ConsumerRecord<byte[], byte[]>> committed = scores.readFor(LOOK_FOR_EXTRAS);
        List<ScoreRecord> scored = JobOutput.scores(committed);
        System.out.printf(
            "broker restart: %d events, %d committed scores, broker down %.1f s (SIGKILL to"
                + " answering again), then %.1f s to the next committed score; job restarts %d,"
                + " restores from a checkpoint %d%n",
            TOTAL,
            committed.size(),
            (answering - killed) / 1e9,
            (firstNewScore - answering) / 1e9,
            job.maxAttemptNumber(),
            job.restoredCheckpoints());

        assertThat(scored.stream().map(JobOutput::id).toList())
            .as("one committed score per event")
            .hasSize(TOTAL)
            .doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(events.stream().map(JobOutput::id).toList());
        for (String key : KEYS) {
          List<Event> ofKey = events.stream().filter(e -> e.key.equals(key)).toList();
          assertThat(JobOutput.ofKey(scored, key))
              .as("scores of %s", key)
              .containsExactlyElementsOf(ReferenceScores.of(MODEL, DETECTOR, ofKey));
        }
      }
    }
  }

  private static void createTopics(String kafka) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
      KafkaBroker.createTopics(
          admin, ScoringTopics.EVENT_PARTITIONS, TOPICS.events(), TOPICS.scores());
      KafkaBroker.createTopics(admin, 1, TOPICS.models(), TOPICS.deadLetters());
    }
  }

  private static void send(EventProducer producer, List<Event> events) {
    try {
      producer.sendEvents(events, KEYS.size(), PAUSE_BETWEEN_ROUNDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
