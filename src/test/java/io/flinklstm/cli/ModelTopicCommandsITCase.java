package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.job.KafkaJobConfig;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelKeys;
import io.flinklstm.sidecar.ModelHistory;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ScoringCluster;
import io.flinklstm.testutil.ScoringJobRun;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.ScoreRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model publish} and {@code model list} against a real broker, and the job on a MiniCluster
 * of several TaskManagers serving what was published.
 */
class ModelTopicCommandsITCase {
  private static final String MODEL = "pump";
  private static final long BEGINNING = 1_767_225_600_000L;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @RegisterExtension
  static final MiniClusterExtension FLINK = ScoringCluster.extension(new Configuration());

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = FlinkLstm.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void publishedVersionsReachTheJobAndOnlyNewerOnesArePublished(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "publish");
    String kafka = KAFKA.bootstrapServers();
    Path v1 = dir.resolve("v1.flstm");
    Files.write(v1, ModelFile.write(TestModels.model(MODEL, 1, 2, 8, 1)));
    Path retrained = dir.resolve("retrained.flstm");
    Files.write(retrained, ModelFile.write(TestModels.model(MODEL, 1, 2, 8, 2)));
    KeyPair key = ModelKeys.generate();
    Path privateKey = dir.resolve("signing.pem");
    ModelKeys.writePrivateKey(privateKey, key.getPrivate(), false);
    Path publicKey = dir.resolve("signing.pub.pem");
    ModelKeys.writePublicKey(publicKey, key.getPublic(), false);
    String[] topic = {"--bootstrap-servers", kafka, "--models-topic", topics.models()};

    assertThat(on(topic, "model", "list").out())
        .isEqualTo("topic '" + topics.models() + "' holds no model\n");

    Run first = on(topic, "model", "publish", "--model", v1.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out())
        .startsWith("published model 'pump' version 1 to topic '" + topics.models() + "' (")
        .contains("unsigned");

    // The same version again: the job would refuse it as stale, so it is not published.
    Run stale = on(topic, "model", "publish", "--model", retrained.toString());
    assertThat(stale.exit()).isEqualTo(1);
    assertThat(stale.err())
        .contains("model 'pump' version 1 is not newer than version 1 on topic")
        .contains("--next-version publishes it as version 2");

    Run next =
        on(
            topic,
            "model",
            "publish",
            "--model",
            retrained.toString(),
            "--next-version",
            "--signing-key",
            privateKey.toString());
    assertThat(next.exit()).as(next.err()).isZero();
    assertThat(next.out())
        .startsWith("published model 'pump' version 2")
        .contains("signed by " + ModelKeys.fingerprint(key.getPublic()));

    Run list = on(topic, "model", "list", "--model-public-key", publicKey.toString());
    assertThat(list.exit()).as(list.err()).isZero();
    String[] lines = list.out().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).contains("'pump' version 1 parent 0").contains("signature absent");
    assertThat(lines[1])
        .contains("'pump' version 2 parent 1")
        .contains("signature valid " + ModelKeys.fingerprint(key.getPublic()));
    assertThat(lines[2]).isEqualTo("serves 'pump' version 2");

    // The job serves what was published: version 2, the retrained weights.
    KafkaJobConfig job =
        topics.jobConfig(kafka, EventCodec.DEFAULT_MAX_BYTES, EventCodec.DEFAULT_MAX_VALUES);
    try (TopicReader scores = TopicReader.readCommitted(kafka, topics.scores());
        ScoringJobRun run =
            ScoringJobRun.start(cluster, job, ScoringConfig.builder(MODEL).build(), "publish");
        EventProducer events = new EventProducer(kafka, topics.events())) {
      List<Event> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add(new Event("k", BEGINNING + i * 60_000L, new float[] {i, -i}, null));
      }
      events.sendEvents(sent, 20, Duration.ZERO);
      List<ScoreRecord> scored = JobOutput.scores(scores.awaitCount(20, TIMEOUT));
      assertThat(scored).hasSize(20).allSatisfy(s -> assertThat(s.modelVersion).isEqualTo(2));
    }
  }

  @Test
  void aBrokerThatDoesNotAnswerEndsThePublishWithOneLine() throws Exception {
    Path v1 = dir.resolve("v1.flstm");
    Files.write(v1, ModelFile.write(TestModels.model(MODEL, 1, 2, 8, 1)));
    Run run =
        cli(
            "model",
            "publish",
            "--model",
            v1.toString(),
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--timeout",
            "3s");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().strip()).startsWith("flink-lstm: ").doesNotContain("\n");
  }

  /** The command line {@code args} followed by the options naming the broker and topic. */
  /**
   * A rollback publishes a kept version's weights as the next version, byte for byte those weights
   * with only the version and parent changed; a version not kept is named with those that are.
   */
  @Test
  void aRollbackPublishesAnEarlierVersionsWeightsAsTheNextVersion() throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "rollback");
    String[] topic = {
      "--bootstrap-servers", KAFKA.bootstrapServers(), "--models-topic", topics.models()
    };
    LstmModel v1 = TestModels.model(MODEL, 1, 2, 8, 1);
    Path stateDir = dir.resolve("sidecar-state");
    ModelHistory history = new ModelHistory(stateDir, MODEL);
    Files.createDirectories(history.folder());
    Files.write(history.folder().resolve("v1.flstm"), ModelFile.write(v1));
    for (int version = 1; version <= 2; version++) {
      Path file = dir.resolve("v" + version + ".flstm");
      Files.write(file, ModelFile.write(TestModels.model(MODEL, version, 2, 8, version)));
      assertThat(on(topic, "model", "publish", "--model", file.toString()).exit()).isZero();
    }

    Run rollback =
        on(
            topic,
            "model",
            "rollback",
            "--name",
            MODEL,
            "--to",
            "1",
            "--state-dir",
            stateDir.toString());
    assertThat(rollback.exit()).as(rollback.err()).isZero();
    assertThat(rollback.out())
        .startsWith(
            "rolled model 'pump' back to version 1: its weights published as version 3 to topic '"
                + topics.models()
                + "'");
    try (TopicReader models =
        TopicReader.readCommitted(KAFKA.bootstrapServers(), topics.models())) {
      List<ConsumerRecord<byte[], byte[]>> records = models.awaitCount(3, TIMEOUT);
      LstmModel v3 =
          (LstmModel)
              ModelFile.readAny(records.get(2).value(), ModelFile.ReadOptions.acceptUnsigned());
      assertThat(v3.info().version()).isEqualTo(3);
      assertThat(v3.info().parentVersion()).isEqualTo(2);
      assertThat(ModelFile.write(v3.withInfo(v1.info()))).isEqualTo(ModelFile.write(v1));
    }

    Run missing =
        on(
            topic,
            "model",
            "rollback",
            "--name",
            MODEL,
            "--to",
            "2",
            "--state-dir",
            stateDir.toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err().strip())
        .isEqualTo(
            "flink-lstm: --to 2: "
                + history.folder()
                + " does not keep that version of model 'pump' (it keeps [1])");
  }

  private static Run on(String[] topic, String... args) {
    String[] all = new String[args.length + topic.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(topic, 0, all, args.length, topic.length);
    return cli(all);
  }
}
