package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.kernel.Stepper;
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
import io.flinklstm.testutil.Waiting;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.ScoreRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

/**
 * A new model version published while events flow: every subtask switches to it without a restart,
 * versions never go backwards for any key, and every score carries the version that produced it.
 *
 * <p>Events stream while v1 is served; once the first of their scores are committed, v2 is
 * published (in a transaction) and the stream goes on, so keys meet v2 at different points. When
 * every subtask's {@code model.default.version} gauge reads 2, a last part of the stream is sent,
 * and all of it must be scored by v2. The predictions are checked against a plain run of v1 up to
 * each key's swap and of v2 after it, re-warmed on the key's last inputs as the default swap policy
 * does.
 */
class ModelSwapITCase {
  private static final String MODEL = "default";
  private static final List<String> KEYS = EventSeries.keys(24);
  private static final int FIRST_ROUNDS = 10;
  private static final int STREAMED_ROUNDS = 70;
  private static final int ROUNDS = 90;
  private static final int SCORES_BEFORE_V2 = 20 * KEYS.size();
  private static final Duration PAUSE_BETWEEN_ROUNDS = Duration.ofMillis(30);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Duration LOOK_FOR_EXTRAS = Duration.ofMillis(1000);
  private static final LstmModel V1 = TestModels.model(MODEL, 1, EventSeries.DIMENSION, 8, 21);
  private static final LstmModel V2 = TestModels.model(MODEL, 2, EventSeries.DIMENSION, 8, 22);
  private static final ScoringConfig CONFIG =
      ScoringConfig.builder(MODEL).coldStart(ColdStartPolicy.BUFFER, 1000).build();

  private static final InMemoryReporter METRICS = InMemoryReporter.create();

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      ScoringCluster.extension(METRICS.addToConfiguration(new Configuration()));

  @Test
  void everySubtaskMovesToTheNewVersionAndNoKeyGoesBack(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "model-swap");
    String kafka = KAFKA.bootstrapServers();
    KafkaJobConfig config =
        topics.jobConfig(kafka, EventCodec.DEFAULT_MAX_BYTES, EventCodec.DEFAULT_MAX_VALUES);
    List<ScoreRecord> beforeV2;
    List<ScoreRecord> scores;
    try (ModelPublisher models = new ModelPublisher(kafka, topics.models());
        EventProducer events = new EventProducer(kafka, topics.events());
        TopicReader output = TopicReader.readCommitted(kafka, topics.scores());
        ScoringJobRun job = ScoringJobRun.start(cluster, config, CONFIG, "model-swap")) {
      models.publish(MODEL, ModelFile.write(V1));
      job.awaitAllTasksRunning(TIMEOUT);
      send(events, 0, FIRST_ROUNDS);
      output.awaitCount(FIRST_ROUNDS * KEYS.size(), TIMEOUT);
      CompletableFuture<Void> streaming =
          CompletableFuture.runAsync(() -> send(events, FIRST_ROUNDS, STREAMED_ROUNDS));
      beforeV2 = JobOutput.scores(output.awaitCount(SCORES_BEFORE_V2, TIMEOUT));
      models.publish(MODEL, ModelFile.write(V2));
      streaming.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Waiting.until(
          "every subtask serving v2", TIMEOUT, () -> servedVersions(job).equals(List.of(2L)));

      send(events, STREAMED_ROUNDS, ROUNDS);
      output.awaitCount(ROUNDS * KEYS.size(), TIMEOUT);
      scores = JobOutput.scores(output.readFor(LOOK_FOR_EXTRAS));
      assertThat(job.maxAttemptNumber()).as("restarts").isZero();
    }

    assertThat(beforeV2).extracting(s -> s.modelVersion).containsOnly(1L);
    assertThat(scores.stream().map(JobOutput::id).toList())
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            EventSeries.rounds(KEYS, 0, ROUNDS).stream().map(JobOutput::id).toList());
    for (String key : KEYS) {
      List<ScoreRecord> ofKey = JobOutput.ofKey(scores, key);
      List<Long> versions = ofKey.stream().map(s -> s.modelVersion).toList();
      assertThat(versions).as("versions of %s", key).isSorted().startsWith(1L);
      assertThat(versions.subList(STREAMED_ROUNDS, ROUNDS))
          .as("%s after every subtask had v2", key)
          .containsOnly(2L);
      assertPredictionsOfTheirVersions(key, ofKey);
    }
  }

  /** The distinct versions of the default model the scoring subtasks serve, once all 4 report. */
  private static List<Long> servedVersions(ScoringJobRun job) {
    Collection<Metric> gauges =
        METRICS.findMetrics(job.jobId(), "\\.model\\.default\\.version$").values();
    if (gauges.size() < ScoringCluster.PARALLELISM) {
      return List.of();
    }
    Set<Long> versions =
        gauges.stream().map(g -> (Long) ((Gauge<?>) g).getValue()).collect(Collectors.toSet());
    return List.copyOf(versions);
  }

  /**
   * Replays the key with v1 up to its first v2 score and with v2 from there, v2's state re-warmed
   * on the inputs before the swap; each prediction must be the one of the version the score names.
   */
  private static void assertPredictionsOfTheirVersions(String key, List<ScoreRecord> scores) {
    int swap = 0;
    while (scores.get(swap).modelVersion == 1) {
      swap++;
    }
    replay(key, V1, V1.newState(), scores, 0, swap);
    LstmState rewarmed = V2.newState();
    Stepper stepper = Stepper.of(V2);
    float[] normalized = new float[EventSeries.DIMENSION];
    for (int i = Math.max(0, swap - CONFIG.rewarmWindow()); i < swap; i++) {
      V2.normalizer().normalize(scores.get(i).values, normalized);
      stepper.advance(rewarmed, normalized);
    }
    replay(key, V2, rewarmed, scores, swap, scores.size());
  }

  private static void replay(
      String key, LstmModel model, LstmState state, List<ScoreRecord> scores, int from, int to) {
    Stepper stepper = Stepper.of(model);
    float[] predicted = new float[EventSeries.DIMENSION];
    float[] normalized = new float[EventSeries.DIMENSION];
    for (int i = from; i < to; i++) {
      ScoreRecord s = scores.get(i);
      assertThat(s.model).isEqualTo(MODEL);
      model.normalizer().denormalize(stepper.predict(state), predicted);
      assertThat(s.prediction)
          .as("%s event %d under v%d", key, i, s.modelVersion)
          .containsExactly(predicted);
      model.normalizer().normalize(s.values, normalized);
      stepper.advance(state, normalized);
    }
  }

  private static void send(EventProducer events, int fromRound, int toRound) {
    List<Event> rounds = EventSeries.rounds(KEYS, fromRound, toRound);
    try {
      events.sendEvents(rounds, KEYS.size(), PAUSE_BETWEEN_ROUNDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
