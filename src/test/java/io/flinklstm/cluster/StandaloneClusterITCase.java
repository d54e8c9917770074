package io.flinklstm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelFile;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.ModelPublisher;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.testutil.Waiting;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The job jar on a real multi-process Flink cluster: a JobManager and two TaskManagers as separate
 * JVMs configured from {@code flink-conf/}, the job submitted with {@code flink run}, a real Kafka
 * broker of the test's own ({@link PrivateKafka}). One TaskManager is killed with SIGKILL while
 * events stream and a new one is started; the job must come back from its last checkpoint with
 * every event scored exactly once (read_committed), and the scores must be those of a run without
 * failure.
 *
 * <p>The cluster's classpath is Flink's alone, so this also shows that the job jar carries what the
 * job needs and that the job loads nothing of ND4J. Logs: {@code target/cluster-test/logs}.
 */
class StandaloneClusterITCase {
  private static final Path WORK = Path.of("target", "cluster-test").toAbsolutePath();
  private static final Path CLASSPATH = Path.of("target", "cluster", "flink-classpath.txt");
  private static final Path JOB_JAR = Path.of("target", "flink-lstm-job.jar").toAbsolutePath();

  private static final String MODEL_NAME = "default";
  private static final List<String> KEYS = EventSeries.keys(24);
  private static final int ROUNDS = 150;
  private static final int TOTAL = ROUNDS * KEYS.size();
  private static final int ROUNDS_BEFORE_STREAMING = 10;
  private static final int SCORES_BEFORE_KILL = 40 * KEYS.size();
  private static final Duration PAUSE_BETWEEN_ROUNDS = Duration.ofMillis(100);
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Duration LOOK_FOR_EXTRAS = Duration.ofSeconds(3);
  private static final LstmModel MODEL =
      TestModels.model(MODEL_NAME, 1, EventSeries.DIMENSION, 8, 5);
  private static final DetectorConfig DETECTOR =
      DetectorConfig.builder()
          .warmupEvents(20)
          .errorWindow(100)
          .shortWindow(5)
          .longWindow(200)
          .threshold(0.99)
          .build();
  private static final ScoringTopics TOPICS =
      new ScoringTopics("events", "models", "scores", "dead-letters");

  @Test
  void aTaskManagerKilledWithSigkillIsReplacedAndNoScoreIsLostOrRepeated() throws Exception {
    long testStart = System.nanoTime();
    List<Event> events = EventSeries.rounds(KEYS, 0, ROUNDS);
    int beforeStreaming = ROUNDS_BEFORE_STREAMING * KEYS.size();

    try (PrivateKafka broker = PrivateKafka.start();
        StandaloneCluster cluster =
            StandaloneCluster.create(Path.of("flink-conf"), CLASSPATH, WORK, smallProcesses());
        ModelPublisher models = new ModelPublisher(broker.bootstrapServers(), TOPICS.models());
        EventProducer producer = new EventProducer(broker.bootstrapServers(), TOPICS.events());
        TopicReader scores = readScores(broker)) {
      String kafka = broker.bootstrapServers();
      FlinkRest rest = new FlinkRest(cluster.restPort());
      cluster.startJobManager();
      cluster.startTaskManager("taskmanager-1");
      cluster.startTaskManager("taskmanager-2");
      Waiting.until("the JobManager's REST endpoint", TIMEOUT, rest::answers);
      Waiting.until("two TaskManagers with 4 slots", TIMEOUT, () -> rest.availableSlots() == 4);

      models.publish(MODEL_NAME, ModelFile.write(MODEL));
      String job = cluster.submit(JOB_JAR, jobArgs(kafka, TOPICS));
      awaitAllTasksRunning(rest, job);
      producer.sendEvents(events.subList(0, beforeStreaming), beforeStreaming, Duration.ZERO);
      scores.awaitCount(beforeStreaming, TIMEOUT);
      CompletableFuture<Void> streaming =
          CompletableFuture.runAsync(() -> send(producer, events.subList(beforeStreaming, TOTAL)));
      scores.awaitCount(SCORES_BEFORE_KILL, TIMEOUT);
      assertThat(rest.completedCheckpoints(job)).as("checkpoints before the kill").isPositive();
      assertThat(WORK.resolve("checkpoints").resolve(job))
          .as("checkpoints in the cluster's execution.checkpointing.dir")
          .isDirectoryContaining(p -> p.getFileName().toString().startsWith("chk-"));

      long killed = System.nanoTime();
      cluster.kill("taskmanager-1");
      cluster.startTaskManager("taskmanager-3");
      Waiting.until(
          "a restore from a checkpoint", TIMEOUT, () -> rest.restoredCheckpoints(job) > 0);
      awaitAllTasksRunning(rest, job);
      long runningAgain = System.nanoTime();
      int committedWhenRunning = scores.records().size();
      scores.awaitCount(committedWhenRunning + 1, TIMEOUT);
      long firstNewScore = System.nanoTime();

      streaming.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      scores.awaitCount(TOTAL, TIMEOUT);
      List<ConsumerRecord<byte[], byte[]>> committed = scores.readFor(LOOK_FOR_EXTRAS);
      String metrics = FlinkRest.scrape(cluster.prometheusPort("taskmanager-2"));
      String state = rest.jobState(job);
      long restores = rest.restoredCheckpoints(job);

      Outcome outcome = Outcome.of(events, JobOutput.scores(committed));
      System.out.printf(
          "standalone cluster: %d events, %d committed scores, lost %d, duplicated %d;"
              + " SIGKILL to job running again %.1f s, to first new committed score %.1f s;"
              + " restores %d; test %.1f s%n",
          TOTAL,
          committed.size(),
          outcome.lost.size(),
          outcome.duplicated,
          seconds(runningAgain - killed),
          seconds(firstNewScore - killed),
          restores,
          seconds(System.nanoTime() - testStart));

      assertThat(state).as("job state; exceptions: %s", rest.exceptions(job)).isEqualTo("RUNNING");
      assertThat(outcome.lost).as("events without a committed score").isEmpty();
      assertThat(outcome.duplicated).as("events scored more than once").isZero();
      assertThat(outcome.unexpected).as("scores of events never sent").isEmpty();
      assertScoresEqualARunWithoutFailure(JobOutput.scores(committed), events);
      assertThat(metrics)
          .as("the TaskManager's Prometheus endpoint serves the job's metrics")
          .contains("eventsScored");
    }
  }

  /**
   * Creates the job's topics, partitioned as in the other tests, and reads the committed scores.
   */
  private static TopicReader readScores(PrivateKafka broker) throws Exception {
    broker.createTopics(ScoringTopics.EVENT_PARTITIONS, TOPICS.events(), TOPICS.scores());
    broker.createTopics(1, TOPICS.models(), TOPICS.deadLetters());
    return TopicReader.readCommitted(broker.bootstrapServers(), TOPICS.scores());
  }

  /** Small JobManager and TaskManagers, so three JVMs fit beside the build. */
  private static Map<String, String> smallProcesses() {
    return Map.of(
        "jobmanager.memory.process.size", "800m",
        "taskmanager.memory.process.size", "1024m");
  }

  private static List<String> jobArgs(String kafka, ScoringTopics topics) {
    return List.of(
        "--cold-start",
        "buffer",
        "--bootstrap-servers",
        kafka,
        "--events-topic",
        topics.events(),
        "--models-topic",
        topics.models(),
        "--scores-topic",
        topics.scores(),
        "--dead-letters-topic",
        topics.deadLetters(),
        "--group-id",
        "cluster-test",
        "--transactional-id-prefix",
        "cluster-test",
        "--parallelism",
        "4",
        "--checkpoint-interval",
        "1s",
        "--max-restart-delay",
        "2s",
        "--transaction-timeout",
        "60s",
        "--warmup-events",
        Integer.toString(DETECTOR.warmupEvents()),
        "--error-window",
        Integer.toString(DETECTOR.errorWindow()),
        "--short-window",
        Integer.toString(DETECTOR.shortWindow()),
        "--long-window",
        Integer.toString(DETECTOR.longWindow()),
        "--threshold",
        Double.toString(DETECTOR.threshold()),
        "--job-name",
        "flink-lstm-cluster-test");
  }

  private static void awaitAllTasksRunning(FlinkRest rest, String job) throws Exception {
    try {
      Waiting.until("all tasks of " + job + " running", TIMEOUT, () -> rest.allTasksRunning(job));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; exceptions: " + rest.exceptions(job), e);
    }
  }

  private static void assertScoresEqualARunWithoutFailure(
      List<ScoreRecord> scores, List<Event> events) {
    for (String key : KEYS) {
      List<Event> ofKey = events.stream().filter(e -> e.key.equals(key)).toList();
      assertThat(JobOutput.ofKey(scores, key))
          .as("scores of %s", key)
          .containsExactlyElementsOf(ReferenceScores.of(MODEL, DETECTOR, ofKey));
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

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** Sent events against committed scores, by {@link JobOutput#id}. */
  private record Outcome(List<String> lost, int duplicated, Set<String> unexpected) {
    static Outcome of(List<Event> sent, List<ScoreRecord> scores) {
      Map<String, Integer> times = new HashMap<>();
      for (ScoreRecord s : scores) {
        times.merge(JobOutput.id(s), 1, Integer::sum);
      }
      List<String> lost = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (Event e : sent) {
        String id = JobOutput.id(e);
        ids.add(id);
        if (!times.containsKey(id)) {
          lost.add(id);
        }
      }
      int duplicated = times.values().stream().mapToInt(n -> n - 1).sum();
      Set<String> unexpected = new HashSet<>(times.keySet());
      unexpected.removeAll(ids);
      return new Outcome(lost, duplicated, unexpected);
    }
  }
}
