package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.KafkaJobConfig;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.local.SecuredKafka;
import io.flinklstm.testutil.CliProcess;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.ScoringCluster;
import io.flinklstm.testutil.ScoringJobRun;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.KafkaClientProperties;
import io.flinklstm.wire.ScoreRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job, the sidecar and replay against a broker secured as company clusters are: SASL/SCRAM over
 * TLS, ACLs enforced, each component its own user with only the rights the README lists. With the
 * right credentials they score, train and publish; with wrong ones or a missing ACL each command
 * stops at start-up with one line naming the credentials, the topic or the transactional id.
 */
class SecuredKafkaITCase {
  private static final String MODEL = "secure";
  private static final String EVENTS = "secure-events";
  private static final String MODELS = "secure-models";
  private static final String SCORES = "secure-scores";
  private static final String DEAD_LETTERS = "secure-dead-letters";
  private static final String JOB_GROUP = "secure-job";
  private static final String JOB_TRANSACTIONS = "secure-job-tx";
  private static final String SIDECAR_GROUP = "secure-sidecar";
  private static final String SIDECAR_TRANSACTION = "secure-sidecar-tx";
  private static final List<String> KEYS = EventSeries.keys(24);
  private static final int FIRST = 60;
  private static final int SECOND = 90;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Path LOGS = Path.of("target", "secured-kafka");

  @RegisterExtension
  static final MiniClusterExtension FLINK = ScoringCluster.extension(new Configuration());

  @TempDir static Path dir;

  private static SecuredKafka kafka;

  @BeforeAll
  static void secureBroker() throws Exception {
    kafka = SecuredKafka.start(dir.resolve("kafka"));
    kafka.createTopics(4, Map.of(), EVENTS, SCORES);
    kafka.createTopics(1, Map.of("cleanup.policy", "compact"), MODELS);
    kafka.createTopics(DEAD_LETTERS);
    for (String user : List.of("scorer", "no-scores", "trainer", "no-transactions", "feeder")) {
      kafka.addUser(user, password(user));
    }
    for (String job : List.of("scorer", "no-scores")) {
      allow(job, ResourceType.TOPIC, EVENTS, AclOperation.READ);
      allow(job, ResourceType.TOPIC, MODELS, AclOperation.READ);
      allow(job, ResourceType.TOPIC, DEAD_LETTERS, AclOperation.WRITE);
      kafka.allow(job, ResourceType.GROUP, JOB_GROUP, PatternType.PREFIXED, AclOperation.READ);
      kafka.allow(
          job,
          ResourceType.TRANSACTIONAL_ID,
          JOB_TRANSACTIONS,
          PatternType.PREFIXED,
          AclOperation.WRITE,
          AclOperation.DESCRIBE);
    }
    allow("scorer", ResourceType.TOPIC, SCORES, AclOperation.WRITE);
    // Allowed to see the scores topic but not to write it: the job must say WRITE is missing.
    allow("no-scores", ResourceType.TOPIC, SCORES, AclOperation.DESCRIBE);
    for (String sidecar : List.of("trainer", "no-transactions")) {
      allow(sidecar, ResourceType.TOPIC, EVENTS, AclOperation.READ);
      allow(sidecar, ResourceType.GROUP, SIDECAR_GROUP, AclOperation.READ);
      allow(sidecar, ResourceType.TOPIC, MODELS, AclOperation.READ, AclOperation.WRITE);
    }
    allow(
        "trainer",
        ResourceType.TRANSACTIONAL_ID,
        SIDECAR_TRANSACTION,
        AclOperation.WRITE,
        AclOperation.DESCRIBE);
    allow("feeder", ResourceType.TOPIC, EVENTS, AclOperation.WRITE);
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theJobTheSidecarAndReplayWorkWithTheirOwnCredentials(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    Path firstBatch = csvFolder("first", 0, FIRST);
    Path secondBatch = csvFolder("second", FIRST, SECOND);
    KafkaJobConfig job = jobConfig(credentials("scorer"));
    ScoringConfig scoring =
        ScoringConfig.builder(MODEL).coldStart(ColdStartPolicy.NAIVE, 1).build();
    Process sidecar = null;
    try (TopicReader scores = TopicReader.readCommitted(kafka.internalBootstrapServers(), SCORES);
        TopicReader models = TopicReader.readCommitted(kafka.internalBootstrapServers(), MODELS);
        ScoringJobRun run = ScoringJobRun.start(cluster, job, scoring, "secured")) {
      sidecar = startSidecar("trainer", "sidecar");

      Run replay = replay("feeder", firstBatch);
      assertThat(replay.exit()).as(replay.err()).isZero();
      assertThat(replay.out()).startsWith("replayed events=" + KEYS.size() * FIRST);
      // The sidecar trained on the first batch and published through its transaction.
      assertThat(models.awaitCount(1, TIMEOUT)).hasSize(1);
      assertThat(sidecar.isAlive()).as("the sidecar runs").isTrue();

      Run more = replay("feeder", secondBatch);
      assertThat(more.exit()).as(more.err()).isZero();
      List<ScoreRecord> scored = JobOutput.scores(scores.awaitCount(KEYS.size() * SECOND, TIMEOUT));
      assertThat(scored.stream().map(JobOutput::id).toList())
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(
              EventSeries.rounds(KEYS, 0, SECOND).stream().map(JobOutput::id).toList());
      // The job read the sidecar's model from the models topic.
      assertThat(scored).anySatisfy(s -> assertThat(s.modelVersion).isEqualTo(1L));
      assertThat(run.maxAttemptNumber()).as("restarts of the job").isZero();
    } finally {
      if (sidecar != null) {
        sidecar.destroy();
        sidecar.waitFor();
      }
    }
  }

  @Test
  void wrongCredentialsOrAMissingAclStopEachCommandAtStartUpWithOneLine() throws Exception {
    Run job = cli(jobArgs(propertiesFile("scorer", "not-the-password")));
    assertThat(job.exit()).isEqualTo(1);
    assertOneLine(job.err()).contains("refused the job's credentials");

    Run forbidden = cli(jobArgs(propertiesFile("no-scores", password("no-scores"))));
    assertThat(forbidden.exit()).isEqualTo(1);
    assertOneLine(forbidden.err())
        .contains("does not allow the job's principal --scores-topic '" + SCORES + "' (WRITE)");

    Run sidecar = cli(sidecarArgs(propertiesFile("trainer", "not-the-password"), "wrong"));
    assertThat(sidecar.exit()).isEqualTo(1);
    assertOneLine(sidecar.err()).contains("refused the sidecar's credentials");

    Run noTransactions =
        cli(sidecarArgs(propertiesFile("no-transactions", password("no-transactions")), "denied"));
    assertThat(noTransactions.exit()).isEqualTo(1);
    assertOneLine(noTransactions.err())
        .contains("cannot publish to '" + MODELS + "'")
        .containsIgnoringCase("transactional id");

    Run replay =
        cli(
            "replay",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--kafka-properties",
            propertiesFile("feeder", "not-the-password").toString(),
            "--input",
            csvFolder("refused", 0, 2).toString(),
            "--topic",
            EVENTS,
            "--partitions",
            "0");
    assertThat(replay.exit()).isEqualTo(1);
    assertOneLine(replay.err()).contains("refused the credentials");

    // The sidecar's user may not write events.
    Run notAFeeder = replay("trainer", csvFolder("not-a-feeder", 0, 2));
    assertThat(notAFeeder.exit()).isEqualTo(1);
    assertOneLine(notAFeeder.err())
        .contains("does not allow this principal to write --topic '" + EVENTS + "' (WRITE)");
  }

  private static org.assertj.core.api.AbstractStringAssert<?> assertOneLine(String err) {
    return assertThat(err.strip()).startsWith("flink-lstm: ").doesNotContain("\n");
  }

  private static KafkaJobConfig jobConfig(KafkaClientProperties credentials) {
    return new KafkaJobConfig(
        kafka.bootstrapServers(),
        EVENTS,
        MODELS,
        SCORES,
        DEAD_LETTERS,
        JOB_GROUP,
        JOB_TRANSACTIONS,
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        EventCodec.DEFAULT_MAX_BYTES,
        EventCodec.DEFAULT_MAX_VALUES,
        credentials,
        null);
  }

  private static String[] jobArgs(Path properties) {
    return new String[] {
      "job",
      "--bootstrap-servers",
      kafka.bootstrapServers(),
      "--kafka-properties",
      properties.toString(),
      "--events-topic",
      EVENTS,
      "--models-topic",
      MODELS,
      "--scores-topic",
      SCORES,
      "--dead-letters-topic",
      DEAD_LETTERS,
      "--group-id",
      JOB_GROUP,
      "--transactional-id-prefix",
      JOB_TRANSACTIONS,
      "--default-model",
      MODEL
    };
  }

  /** {@code flink-lstm sidecar} and its options, with the small model of {@link CliProcess}. */
  private static List<String> sidecarArgs(Path properties, String state) {
    List<String> args = new ArrayList<>();
    args.add("sidecar");
    args.addAll(
        List.of(
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--kafka-properties",
            properties.toString(),
            "--events-topic",
            EVENTS,
            "--models-topic",
            MODELS,
            "--group-id",
            SIDECAR_GROUP,
            "--transactional-id",
            SIDECAR_TRANSACTION,
            "--model-name",
            MODEL,
            "--input-size",
            Integer.toString(EventSeries.DIMENSION),
            "--state-dir",
            dir.resolve("sidecar-state-" + state).toString(),
            "--train-every-events",
            Integer.toString(KEYS.size() * FIRST)));
    args.addAll(CliProcess.SMALL_TRAINING);
    return args;
  }

  /** {@code flink-lstm sidecar} as a process of its own, logging to {@code target/}. */
  private static Process startSidecar(String user, String state) throws IOException {
    List<String> args = sidecarArgs(propertiesFile(user, password(user)), state);
    List<String> command = CliProcess.command("sidecar", args.subList(1, args.size()));
    Files.createDirectories(LOGS);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(LOGS.resolve("sidecar.log").toFile())
        .start();
  }

  private static Run replay(String user, Path folder) throws IOException {
    return cli(
        "replay",
        "--bootstrap-servers",
        kafka.bootstrapServers(),
        "--kafka-properties",
        propertiesFile(user, password(user)).toString(),
        "--input",
        folder.toString(),
        "--topic",
        EVENTS,
        "--partitions",
        "0");
  }

  /** Events {@code from} to {@code to} of every key as replay's CSV files, one per key. */
  private static Path csvFolder(String name, int from, int to) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("csv-" + name));
    for (String key : KEYS) {
      StringBuilder csv = new StringBuilder("timestamp,a,b\n");
      for (int i = from; i < to; i++) {
        Event e = EventSeries.event(key, i);
        csv.append(e.ts).append(',').append(e.values[0]).append(',').append(e.values[1]);
        csv.append('\n');
      }
      Files.writeString(folder.resolve(key + ".csv"), csv);
    }
    return folder;
  }

  /** A user's client settings as a properties file, the way Kafka's own tools take them. */
  private static Path propertiesFile(String user, String password) throws IOException {
    Properties p = new Properties();
    p.putAll(kafka.clientProperties(user, password));
    Path file = dir.resolve(user + "-" + Integer.toHexString(password.hashCode()) + ".properties");
    try (Writer w = Files.newBufferedWriter(file)) {
      p.store(w, "client settings of " + user);
    }
    return file;
  }

  private static KafkaClientProperties credentials(String user) {
    return KafkaClientProperties.of(kafka.clientProperties(user, password(user)));
  }

  private static String password(String user) {
    return user + "-Pa55 \"w0rd\"";
  }

  private static void allow(
      String user, ResourceType type, String name, AclOperation... operations) {
    kafka.allow(user, type, name, PatternType.LITERAL, operations);
  }

  private record Run(int exit, String out, String err) {}

  private static Run cli(List<String> args) {
    return cli(args.toArray(String[]::new));
  }

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = FlinkLstm.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }
}
