package io.flinklstm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.ModelPublisher;
import io.flinklstm.testutil.ReferenceScores;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.TestDetectors;
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

/**
 * The scoring job on a standalone cluster, as the cluster tests run it: a broker of the test's own
 * ({@link PrivateKafka}) with the job's topics, a JobManager and two TaskManagers of two slots as
 * separate JVMs ({@link StandaloneCluster}), the model published, a producer of events and a
 * read_committed reader of scores. The job jar is submitted with {@code flink run}. Closing it
 * stops every process and client. Logs: {@code target/cluster-test/<name>/logs}.
 */
final class ClusterScenario implements AutoCloseable {
  static final String MODEL_NAME = "default";
  static final List<String> KEYS = EventSeries.keys(24);
  static final Duration TIMEOUT = Duration.ofMinutes(2);
  static final Duration LOOK_FOR_EXTRAS = Duration.ofSeconds(3);
  static final LstmModel MODEL = TestModels.model(MODEL_NAME, 1, EventSeries.DIMENSION, 8, 5);
  static final DetectorConfig DETECTOR = TestDetectors.SHORT_WINDOWS;

  private static final Path WORK = Path.of("target", "cluster-test").toAbsolutePath();
  private static final Path CLASSPATH = Path.of("target", "cluster", "flink-classpath.txt");
  private static final Path JOB_JAR = Path.of("target", "flink-lstm-job.jar").toAbsolutePath();
  private static final ScoringTopics TOPICS =
      new ScoringTopics("events", "models", "scores", "dead-letters");

  final StandaloneCluster cluster;
  final FlinkRest rest;
  final EventProducer producer;
  final TopicReader scores;
  private final PrivateKafka broker;

  private ClusterScenario(
      PrivateKafka broker, StandaloneCluster cluster, EventProducer producer, TopicReader scores) {
    this.broker = broker;
    this.cluster = cluster;
    this.rest = new FlinkRest(cluster.restPort());
    this.producer = producer;
    this.scores = scores;
  }

  /**
   * Starts the broker, creates the topics, publishes {@link #MODEL}, and starts the JobManager and
   * two TaskManagers ({@code taskmanager-1}, {@code taskmanager-2}); returns once their four slots
   * are registered.
   */
  static ClusterScenario start(String name) throws Exception {
    PrivateKafka broker = PrivateKafka.start();
    ClusterScenario scenario = null;
    try {
      String kafka = broker.bootstrapServers();
      broker.createTopics(ScoringTopics.EVENT_PARTITIONS, TOPICS.events(), TOPICS.scores());
      broker.createTopics(1, TOPICS.models(), TOPICS.deadLetters());
      try (ModelPublisher models = new ModelPublisher(kafka, TOPICS.models())) {
        models.publish(MODEL_NAME, ModelFile.write(MODEL));
      }
      StandaloneCluster cluster =
          StandaloneCluster.create(
              Path.of("flink-conf"), CLASSPATH, WORK.resolve(name), smallProcesses());
      scenario =
          new ClusterScenario(
              broker,
              cluster,
              new EventProducer(kafka, TOPICS.events()),
              TopicReader.readCommitted(kafka, TOPICS.scores()));
      cluster.startJobManager();
      cluster.startTaskManager("taskmanager-1");
      cluster.startTaskManager("taskmanager-2");
      FlinkRest rest = scenario.rest;
      try {
        Waiting.until(
            "the JobManager's REST endpoint",
            TIMEOUT,
            () -> {
              cluster.assertAlive("jobmanager");
              return rest.answers();
            });
        Waiting.until(
            "two TaskManagers with 4 slots",
            TIMEOUT,
            () -> {
              cluster.assertAlive("taskmanager-1");
              cluster.assertAlive("taskmanager-2");
              return rest.availableSlots() == 4;
            });
      } catch (AssertionError slow) {
        throw new AssertionError(slow.getMessage() + "\n" + cluster.tail("jobmanager"), slow);
      }
      return scenario;
    } catch (Exception | AssertionError e) {
      if (scenario != null) {
        scenario.close();
      } else {
        broker.close();
      }
      throw e;
    }
  }

  /** Submits the job jar at the given parallelism; returns the job's id. */
  String submit(int parallelism) throws Exception {
    return cluster.submit(JOB_JAR, jobArgs(parallelism));
  }

  /** Submits the job jar at the given parallelism, restored from the savepoint. */
  String submitFromSavepoint(String savepoint, int parallelism) throws Exception {
    return cluster.submitFromSavepoint(savepoint, JOB_JAR, jobArgs(parallelism));
  }

  /** Waits until the job runs with every task; fails with the job's exceptions otherwise. */
  void awaitAllTasksRunning(String job) throws Exception {
    try {
      Waiting.until("all tasks of " + job + " running", TIMEOUT, () -> rest.allTasksRunning(job));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; exceptions: " + rest.exceptions(job), e);
    }
  }

  /** Sends the events in rounds of one per key, pausing between rounds. */
  void send(List<Event> events, Duration pause) {
    try {
      producer.sendEvents(events, KEYS.size(), pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Asserts that each key's committed scores are those of a run without failure. */
  static void assertScoresEqualARunWithoutFailure(List<ScoreRecord> scores, List<Event> events) {
    for (String key : KEYS) {
      List<Event> ofKey = events.stream().filter(e -> e.key.equals(key)).toList();
      assertThat(JobOutput.ofKey(scores, key))
          .as("scores of %s", key)
          .containsExactlyElementsOf(ReferenceScores.of(MODEL, DETECTOR, ofKey));
    }
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  @Override
  public void close() throws Exception {
    try (PrivateKafka b = broker;
        StandaloneCluster c = cluster;
        EventProducer p = producer;
        TopicReader s = scores) {
      // Closed in reverse order: the readers and the producer, the cluster, then the broker.
    }
  }

  /** Small JobManager and TaskManagers, so three JVMs fit beside the build. */
  private static Map<String, String> smallProcesses() {
    return Map.of(
        "jobmanager.memory.process.size", "800m",
        "taskmanager.memory.process.size", "1024m");
  }

  private List<String> jobArgs(int parallelism) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--cold-start",
                "buffer",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--events-topic",
                TOPICS.events(),
                "--models-topic",
                TOPICS.models(),
                "--scores-topic",
                TOPICS.scores(),
                "--dead-letters-topic",
                TOPICS.deadLetters(),
                "--group-id",
                "cluster-test",
                "--transactional-id-prefix",
                "cluster-test",
                "--parallelism",
                Integer.toString(parallelism),
                "--checkpoint-interval",
                "1s",
                "--max-restart-delay",
                "2s",
                "--transaction-timeout",
                "60s",
                "--job-name",
                "flink-lstm-cluster-test"));
    args.addAll(TestDetectors.shortWindowsOptions());
    return args;
  }

  /** Sent events against committed scores, by {@link JobOutput#id}. */
  record Outcome(List<String> lost, int duplicated, Set<String> unexpected) {
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

    /** Asserts that no event was lost or scored twice, and nothing else was scored. */
    void assertExactlyOnce() {
      assertThat(lost).as("events without a committed score").isEmpty();
      assertThat(duplicated).as("events scored more than once").isZero();
      assertThat(unexpected).as("scores of events never sent").isEmpty();
    }
  }
}
