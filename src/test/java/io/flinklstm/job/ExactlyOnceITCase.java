package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.cli.FlinkLstm;
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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once on a real broker and a real cluster: every event gets one committed score, none is
 * lost or repeated when the job fails after a completed checkpoint or loses a TaskManager, and the
 * scores after a recovery are bit for bit those of a run without failure.
 *
 * <p>Each run publishes the model, lets the job commit the first rounds of events (so a checkpoint
 * has completed), then streams the rest while the fault strikes. The job also holds a small
 * pipeline of its own with an operator that fails on request; with full failover, its failure
 * restarts the whole job from the last checkpoint, as a failure in the scoring operator would. It
 * runs in every run, so all runs execute the same job graph.
 *
 * <p>The run without failure is made once and shared: the tests with faults compare with it, and
 * the parity test replays three of its keys through a plain {@link Stepper} (one model, so the swap
 * policy, {@code KEEP} here, never acts).
 */
class ExactlyOnceITCase {
  private static final String MODEL = "default";
  private static final List<String> KEYS = EventSeries.keys(24);
  private static final int ROUNDS = 84;
  private static final int TOTAL = ROUNDS * KEYS.size();
  private static final int ROUNDS_BEFORE_STREAMING = 10;
  private static final int SCORES_BEFORE_FAULT = 30 * KEYS.size();
  private static final Duration PAUSE_BETWEEN_ROUNDS = Duration.ofMillis(30);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Duration LOOK_FOR_EXTRAS = Duration.ofMillis(1000);
  private static final LstmModel MODEL_V1 =
      TestModels.model(MODEL, 1, EventSeries.DIMENSION, 8, 11);
  private static final ScoringConfig CONFIG =
      ScoringConfig.builder(MODEL)
          .swapPolicy(SwapPolicy.KEEP)
          .coldStart(ColdStartPolicy.BUFFER, 1000)
          .build();
  private static final List<Event> EVENTS = EventSeries.rounds(KEYS, 0, ROUNDS);

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @RegisterExtension
  static final MiniClusterExtension FLINK = ScoringCluster.extension(fullFailover());

  /** The run without failure, shared by the tests that compare with it; made by the first. */
  private static List<ConsumerRecord<byte[], byte[]>> failureFree;

  private enum Fault {
    NONE,
    FAILING_OPERATOR,
    LOST_TASK_MANAGER
  }

  @Test
  void withoutFailureEveryEventGetsExactlyOneCommittedScore(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    List<ScoreRecord> scores = JobOutput.scores(failureFree(cluster));
    assertExactlyOneScorePerEvent(failureFree(cluster));
    assertThat(scores)
        .allSatisfy(
            s -> {
              assertThat(s.status).isEqualTo(ScoreRecord.SCORED);
              assertThat(s.model).isEqualTo(MODEL);
              assertThat(s.modelVersion).isEqualTo(1);
            });
  }

  @Test
  void scoresEqualAPlainRunOfTheModel(@InjectMiniCluster MiniCluster cluster) throws Exception {
    List<ScoreRecord> scores = JobOutput.scores(failureFree(cluster));
    for (String key : List.of("key-00", "key-07", "key-13")) {
      List<ScoreRecord> ofKey = JobOutput.ofKey(scores, key);
      assertThat(ofKey).hasSize(ROUNDS);
      Stepper stepper = Stepper.of(MODEL_V1);
      LstmState state = MODEL_V1.newState();
      float[] predicted = new float[EventSeries.DIMENSION];
      float[] normalized = new float[EventSeries.DIMENSION];
      for (int i = 0; i < ROUNDS; i++) {
        ScoreRecord s = ofKey.get(i);
        assertThat(s.values).containsExactly(EventSeries.event(key, i).values);
        MODEL_V1.normalizer().denormalize(stepper.predict(state), predicted);
        assertThat(s.prediction).as("%s event %d", key, i).containsExactly(predicted);
        MODEL_V1.normalizer().normalize(s.values, normalized);
        stepper.advance(state, normalized);
      }
      assertEqualsModelRunCommand(key, ofKey);
    }
  }

  /**
   * The key's values through {@code flink-lstm model run}: its row t predicts row t + 1, which is
   * the prediction in the job's score of event t + 1.
   */
  private static void assertEqualsModelRunCommand(String key, List<ScoreRecord> ofKey)
      throws Exception {
    Path dir = Files.createTempDirectory("model-run");
    Path model = dir.resolve("model.flstm");
    Path input = dir.resolve("input.csv");
    Path output = dir.resolve("output.csv");
    Files.write(model, ModelFile.write(MODEL_V1));
    StringBuilder csv = new StringBuilder("v0,v1\n");
    for (ScoreRecord s : ofKey) {
      csv.append(s.values[0]).append(',').append(s.values[1]).append('\n');
    }
    Files.writeString(input, csv);
    StringWriter err = new StringWriter();
    int exit =
        FlinkLstm.run(
            new String[] {
              "model",
              "run",
              "--model",
              model.toString(),
              "--input",
              input.toString(),
              "--output",
              output.toString()
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(exit).as("model run: %s", err).isZero();
    List<String> rows = Files.readAllLines(output);
    assertThat(rows).hasSize(ofKey.size() + 1);
    for (int t = 0; t + 1 < ofKey.size(); t++) {
      String[] cells = rows.get(t + 1).split(",");
      float[] predicted = {Float.parseFloat(cells[1]), Float.parseFloat(cells[2])};
      assertThat(ofKey.get(t + 1).prediction)
          .as("%s: model run row %d against the score of event %d", key, t, t + 1)
          .containsExactly(predicted);
    }
  }

  @Test
  void aFailureAfterACompletedCheckpointLosesAndRepeatsNothing(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    List<ConsumerRecord<byte[], byte[]>> recovered = run(cluster, Fault.FAILING_OPERATOR);
    assertExactlyOneScorePerEvent(recovered);
    assertThat(JobOutput.jsonById(recovered))
        .containsExactlyInAnyOrderEntriesOf(JobOutput.jsonById(failureFree(cluster)));
  }

  @Test
  void aLostTaskManagerLosesAndRepeatsNothing(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    List<ConsumerRecord<byte[], byte[]>> recovered = run(cluster, Fault.LOST_TASK_MANAGER);
    assertExactlyOneScorePerEvent(recovered);
    assertThat(JobOutput.jsonById(recovered))
        .containsExactlyInAnyOrderEntriesOf(JobOutput.jsonById(failureFree(cluster)));
  }

  private static synchronized List<ConsumerRecord<byte[], byte[]>> failureFree(MiniCluster cluster)
      throws Exception {
    if (failureFree == null) {
      failureFree = run(cluster, Fault.NONE);
    }
    return failureFree;
  }

  /** One run of the job over {@link #EVENTS}; returns the committed scores. */
  private static List<ConsumerRecord<byte[], byte[]>> run(MiniCluster cluster, Fault fault)
      throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "exactly-once");
    String kafka = KAFKA.bootstrapServers();
    KafkaJobConfig config =
        topics.jobConfig(kafka, EventCodec.DEFAULT_MAX_BYTES, EventCodec.DEFAULT_MAX_VALUES);
    int beforeStreaming = ROUNDS_BEFORE_STREAMING * KEYS.size();
    try (ModelPublisher models = new ModelPublisher(kafka, topics.models());
        EventProducer events = new EventProducer(kafka, topics.events());
        TopicReader scores = TopicReader.readCommitted(kafka, topics.scores());
        ScoringJobRun job =
            ScoringJobRun.start(
                cluster,
                config,
                CONFIG,
                "exactly-once-" + fault,
                ExactlyOnceITCase::addFailingPipeline)) {
      models.publish(MODEL, ModelFile.write(MODEL_V1));
      job.awaitAllTasksRunning(TIMEOUT);
      events.sendEvents(EVENTS.subList(0, beforeStreaming), beforeStreaming, Duration.ZERO);
      scores.awaitCount(beforeStreaming, TIMEOUT);
      CompletableFuture<Void> streaming =
          CompletableFuture.runAsync(
              () -> sendQuietly(events, EVENTS.subList(beforeStreaming, TOTAL)));

      scores.awaitCount(SCORES_BEFORE_FAULT, TIMEOUT);
      assertThat(job.completedCheckpoints()).isPositive();
      inject(fault, cluster, job);
      streaming.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      scores.awaitCount(TOTAL, TIMEOUT);
      List<ConsumerRecord<byte[], byte[]>> committed = scores.readFor(LOOK_FOR_EXTRAS);

      if (fault == Fault.NONE) {
        assertThat(job.maxAttemptNumber()).as("restarts").isZero();
      } else {
        assertThat(job.maxAttemptNumber()).as("restarts").isPositive();
        assertThat(job.restoredCheckpoints()).as("restores from a checkpoint").isPositive();
      }
      return committed;
    }
  }

  private static void inject(Fault fault, MiniCluster cluster, ScoringJobRun job) throws Exception {
    switch (fault) {
      case FAILING_OPERATOR:
        FailOnRequest.REQUESTED.set(true);
        Waiting.until("a restart", TIMEOUT, () -> job.maxAttemptNumber() > 0);
        break;
      case LOST_TASK_MANAGER:
        // The MiniCluster keeps a terminated TaskManager in its list: only one test here kills one.
        cluster.terminateTaskManager(0).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        cluster.startTaskManager();
        break;
      case NONE:
      default:
    }
  }

  private static void assertExactlyOneScorePerEvent(List<ConsumerRecord<byte[], byte[]>> records) {
    List<String> scored = JobOutput.scores(records).stream().map(JobOutput::id).toList();
    assertThat(scored)
        .hasSize(TOTAL)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(EVENTS.stream().map(JobOutput::id).toList());
  }

  private static void sendQuietly(EventProducer events, List<Event> toSend) {
    try {
      events.sendEvents(toSend, KEYS.size(), PAUSE_BETWEEN_ROUNDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Configuration fullFailover() {
    Configuration conf = new Configuration();
    conf.set(JobManagerOptions.EXECUTION_FAILOVER_STRATEGY, "full");
    return conf;
  }

  /** A slow endless sequence through {@link FailOnRequest}, beside the scoring pipeline. */
  private static void addFailingPipeline(StreamExecutionEnvironment env) {
    env.fromSequence(0, Long.MAX_VALUE)
        .name("Ticks")
        .setParallelism(1)
        .map(new FailOnRequest())
        .name("Fail on request")
        .setParallelism(1)
        .sinkTo(new DiscardingSink<>())
        .setParallelism(1);
  }

  /** Throws once after the test asked for it; runs in this JVM, so a static flag reaches it. */
  private static final class FailOnRequest implements MapFunction<Long, Long> {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean REQUESTED = new AtomicBoolean();

    @Override
    public Long map(Long tick) throws Exception {
      Thread.sleep(10);
      if (REQUESTED.compareAndSet(true, false)) {
        throw new IllegalStateException("failure injected by the test");
      }
      return tick;
    }
  }
}
