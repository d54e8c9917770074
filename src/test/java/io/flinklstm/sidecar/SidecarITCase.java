package io.flinklstm.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.KafkaJobConfig;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.model.LstmModel;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ScoringCluster;
import io.flinklstm.testutil.ScoringJobRun;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.testutil.Waiting;
import io.flinklstm.train.ContinualTrainer;
import io.flinklstm.train.PromotionGate;
import io.flinklstm.train.SequenceStore;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.KafkaClientProperties;
import io.flinklstm.wire.ScoreRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar and the job together on a real broker: the sidecar learns v1 from the stream and
 * publishes it, the job scores with it; after more data the sidecar publishes v2 and the job's
 * scores move to v2 without a restart and without a lost or duplicated score. A restarted sidecar
 * refills its sample from the events its group had read, continues from the model it kept on disk
 * and publishes v3, never reusing a number.
 */
class SidecarITCase {
  private static final String MODEL = "default";
  private static final List<String> KEYS = EventSeries.keys(24);
  private static final int ROUNDS_PER_TRAINING = 40;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private static final InMemoryReporter METRICS = InMemoryReporter.create();

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      ScoringCluster.extension(METRICS.addToConfiguration(new Configuration()));

  @TempDir Path stateDir;

  @Test
  void theJobScoresWithEachVersionTheSidecarPublishes(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "sidecar");
    String kafka = KAFKA.bootstrapServers();
    KafkaJobConfig job =
        topics.jobConfig(kafka, EventCodec.DEFAULT_MAX_BYTES, EventCodec.DEFAULT_MAX_VALUES);
    SidecarConfig config = sidecarConfig(topics, kafka);
    int phase3 = 3 * ROUNDS_PER_TRAINING;
    int total = phase3 + 20;
    List<ScoreRecord> scores;
    try (EventProducer events = new EventProducer(kafka, topics.events());
        TopicReader output = TopicReader.readCommitted(kafka, topics.scores());
        ScoringJobRun run =
            ScoringJobRun.start(
                cluster,
                job,
                ScoringConfig.builder(MODEL).coldStart(ColdStartPolicy.BUFFER, 1000).build(),
                "sidecar")) {
      Running first = Running.start(config);
      send(events, 0, ROUNDS_PER_TRAINING);
      Waiting.until("v1 published", TIMEOUT, () -> first.sidecar.published.get() == 1);
      output.awaitCount(ROUNDS_PER_TRAINING * KEYS.size(), TIMEOUT);

      send(events, ROUNDS_PER_TRAINING, 2 * ROUNDS_PER_TRAINING);
      Waiting.until("v2 published", TIMEOUT, () -> first.sidecar.published.get() == 2);
      Waiting.until("every subtask serving v2", TIMEOUT, () -> served(run).equals(List.of(2L)));
      first.stop();
      assertThat(first.sidecar.refused.get()).isZero();

      // A new sidecar on the same state directory continues the sequence, its sample refilled
      // from the events the group had read; they are not new, so they start no round.
      Running second = Running.start(config);
      assertThat(second.sidecar.current().info().version()).isEqualTo(2);
      int history = 2 * ROUNDS_PER_TRAINING * KEYS.size();
      Waiting.until(
          "sample rebuilt", TIMEOUT, () -> second.sidecar.eventsObserved.get() == history);
      Thread.sleep(500);
      assertThat(second.sidecar.eventsObserved.get()).isEqualTo(history);
      assertThat(second.sidecar.published.get() + second.sidecar.refused.get()).isZero();
      send(events, 2 * ROUNDS_PER_TRAINING, phase3);
      Waiting.until("v3 published", TIMEOUT, () -> second.sidecar.published.get() == 1);
      LstmModel v3 = (LstmModel) second.sidecar.current();
      second.stop();
      assertThat(v3.info().version()).isEqualTo(3);
      assertThat(v3.info().parentVersion()).isEqualTo(2);
      assertThat(v3.info().metrics()).containsKeys("train_loss", "val_loss");
      // Every published version is kept for a rollback, across the restart.
      assertThat(new ModelHistory(stateDir, MODEL).versions()).containsExactly(1L, 2L, 3L);
      Waiting.until("every subtask serving v3", TIMEOUT, () -> served(run).equals(List.of(3L)));

      send(events, phase3, total);
      output.awaitCount(total * KEYS.size(), TIMEOUT);
      scores = JobOutput.scores(output.readFor(Duration.ofSeconds(1)));
      assertThat(run.maxAttemptNumber()).as("restarts; %s", run.lastFailure()).isZero();
    }

    assertThat(scores.stream().map(JobOutput::id).toList())
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            EventSeries.rounds(KEYS, 0, total).stream().map(JobOutput::id).toList());
    assertThat(scores).extracting(s -> s.status).containsOnly(ScoreRecord.SCORED);
    for (String key : KEYS) {
      List<Long> versions = JobOutput.ofKey(scores, key).stream().map(s -> s.modelVersion).toList();
      assertThat(versions).as("versions of %s", key).isSorted().startsWith(1L);
      assertThat(versions.subList(phase3, total)).as("%s after v3", key).containsOnly(3L);
    }
    assertThat(scores).extracting(s -> s.modelVersion).contains(1L, 2L, 3L);
  }

  private SidecarConfig sidecarConfig(ScoringTopics topics, String kafka) {
    return new SidecarConfig(
        kafka,
        topics.events(),
        topics.models(),
        KafkaBroker.uniqueName("sidecar-group"),
        MODEL,
        MODEL,
        stateDir,
        (long) ROUNDS_PER_TRAINING * KEYS.size(),
        Duration.ZERO,
        1,
        KafkaBroker.uniqueName("sidecar-tx"),
        topics.scores(),
        SidecarConfig.DEFAULT_REBUILD_EVENTS,
        KafkaClientProperties.NONE,
        null);
  }

  private static void send(EventProducer events, int from, int to) {
    try {
      events.sendEvents(EventSeries.rounds(KEYS, from, to), KEYS.size(), Duration.ZERO);
      events.flush();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The distinct versions of the model the scoring subtasks serve, once all report one. */
  private static List<Long> served(ScoringJobRun job) {
    Collection<Metric> gauges =
        METRICS.findMetrics(job.jobId(), "\\.model\\.default\\.version$").values();
    if (gauges.size() < ScoringCluster.PARALLELISM) {
      return List.of();
    }
    Set<Long> versions =
        gauges.stream().map(g -> (Long) ((Gauge<?>) g).getValue()).collect(Collectors.toSet());
    return List.copyOf(versions);
  }

  /** A sidecar running on its own thread, with a small, fast training configuration. */
  private record Running(Sidecar sidecar, CompletableFuture<Void> loop) {
    static Running start(SidecarConfig config) throws Exception {
      TrainerConfig training =
          TrainerConfig.builder()
              .hiddenSize(8)
              .window(8)
              .burnIn(4)
              .batchSize(16)
              .steps(150)
              .learningRate(0.01)
              .seed(1)
              .build();
      ContinualTrainer trainer =
          new ContinualTrainer(
              MODEL,
              new SequenceStore(EventSeries.DIMENSION, 512, 1_000_000),
              training,
              // Generous: the test is about the hand-over, not about how much a round improves.
              new PromotionGate(10.0));
      Sidecar sidecar =
          Sidecar.connect(config, new ContinualLearner(trainer, Clock.systemUTC()), null);
      CompletableFuture<Void> loop =
          CompletableFuture.runAsync(
              () -> {
                try {
                  sidecar.run();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      return new Running(sidecar, loop);
    }

    void stop() throws Exception {
      sidecar.stop();
      loop.get();
      sidecar.close();
    }
  }
}
