package io.flinklstm.job;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ModelPublisher;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.KafkaClientProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * The savepoint in {@code golden/savepoint-key-state-v<N>/}, made by the job of the build that
 * released key-state format N, and the tool that makes it. A later build must restore it: {@code
 * SavepointCompatibilityITCase} sends the same events again to topics of the same names, so the
 * offsets in the savepoint point where the first half ends, and checks that the restored job scores
 * the second half as if it had never stopped.
 *
 * <p>The job runs at parallelism 2 on a local cluster, scores the first half of {@link #events},
 * and is stopped with a canonical savepoint. Beside it lies {@code model.flstm}, the model the job
 * served. A released savepoint is never made again, and the scenario below stays as it is: every
 * committed savepoint was made from it. Run by {@code scripts/golden-files.sh}.
 */
public final class GoldenSavepoint {
  static final String DIRECTORY = "golden/savepoint-key-state-v" + KeyStateSerializer.VERSION;
  static final String MODEL_FILE = "model.flstm";
  static final String MODEL_NAME = "default";
  static final List<String> KEYS = EventSeries.keys(12);
  static final int ROUNDS = 80;
  static final int PARALLELISM = 2;
  static final ScoringTopics TOPICS =
      new ScoringTopics(
          "savepoint-events", "savepoint-models", "savepoint-scores", "savepoint-dead-letters");
  static final DetectorConfig DETECTOR =
      DetectorConfig.builder()
          .warmupEvents(10)
          .errorWindow(50)
          .shortWindow(5)
          .longWindow(100)
          .threshold(0.99)
          .build();
  static final ScoringConfig SCORING =
      ScoringConfig.builder(MODEL_NAME)
          .detector(DETECTOR)
          .swapPolicy(SwapPolicy.KEEP)
          .coldStart(ColdStartPolicy.BUFFER, 1000)
          .build();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private GoldenSavepoint() {}

  /** Every event of the scenario, in the order it is sent: rounds of one event per key. */
  static List<Event> events() {
    return EventSeries.rounds(KEYS, 0, ROUNDS);
  }

  /** The events scored before the savepoint. */
  static int eventsBeforeSavepoint() {
    return ROUNDS / 2 * KEYS.size();
  }

  /** The job's Kafka settings: fixed names, since the savepoint holds them. */
  static KafkaJobConfig jobConfig(String bootstrapServers) {
    return new KafkaJobConfig(
        bootstrapServers,
        TOPICS.events(),
        TOPICS.models(),
        TOPICS.scores(),
        TOPICS.deadLetters(),
        "savepoint-group",
        "savepoint-txn",
        ScoringTopics.CHECKPOINT_INTERVAL,
        ScoringTopics.TRANSACTION_TIMEOUT,
        ScoringTopics.MAX_RESTART_DELAY,
        EventCodec.DEFAULT_MAX_BYTES,
        EventCodec.DEFAULT_MAX_VALUES,
        KafkaClientProperties.NONE,
        null);
  }

  /** Creates the scenario's topics, partitioned as the savepoint expects. */
  static void createTopics(Admin admin) {
    KafkaBroker.createTopics(admin, ScoringTopics.EVENT_PARTITIONS, TOPICS.events());
    KafkaBroker.createTopics(admin, ScoringTopics.EVENT_PARTITIONS, TOPICS.scores());
    KafkaBroker.createTopics(admin, 1, TOPICS.models(), TOPICS.deadLetters());
  }

  /**
   * Writes the savepoint of this build's key-state format under {@code args[0]} (a resources
   * folder), unless it exists.
   */
  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]).resolve(DIRECTORY);
    if (Files.exists(target)) {
      System.out.println("kept " + target);
      return;
    }
    Path work = Files.createTempDirectory("golden-savepoint");
    byte[] model = TestModels.file(MODEL_NAME, 1, EventSeries.DIMENSION, 8, 23);
    List<Event> events = events();
    int before = eventsBeforeSavepoint();
    try (KafkaClusterTestKit kafka = KafkaBroker.startSingleNode();
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      String bootstrap = kafka.bootstrapServers();
      createTopics(admin);
      try (ModelPublisher models = new ModelPublisher(bootstrap, TOPICS.models());
          EventProducer producer = new EventProducer(bootstrap, TOPICS.events());
          TopicReader scores = TopicReader.readCommitted(bootstrap, TOPICS.scores())) {
        models.publish(MODEL_NAME, model);
        KafkaJobConfig config = jobConfig(bootstrap);
        Configuration conf =
            ScoringJob.configuration(config, work.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env =
            StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, conf);
        ScoringJob.build(env, config, SCORING);
        JobClient job = env.executeAsync("golden-savepoint");
        producer.sendEvents(events.subList(0, before), KEYS.size(), Duration.ZERO);
        scores.awaitCount(before, TIMEOUT);
        String savepoint =
            job.stopWithSavepoint(
                    false,
                    work.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        copy(Path.of(java.net.URI.create(savepoint)), target);
        Files.write(target.resolve(MODEL_FILE), model);
        System.out.println("wrote " + target + " from " + savepoint);
      }
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
