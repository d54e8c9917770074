package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelFile.ReadOptions;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ModelPublisher;
import io.flinklstm.testutil.ReferenceScores;
import io.flinklstm.testutil.ScoringCluster;
import io.flinklstm.testutil.ScoringJobRun;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.testutil.Waiting;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Savepoints of released builds restore in this one: each of {@link GoldenSavepoint}'s committed
 * savepoints (one per released key-state format), taken at parallelism 2, restored at parallelism 4
 * on a MiniCluster against a real broker. The events before the savepoint are sent again (the
 * savepoint's offsets point past them) and must not be scored again; the events after it must score
 * as a run that never stopped, to the last bits the build's kernels may round differently in, which
 * shows that every key's LSTM state, detector statistics and served model came back.
 */
class SavepointCompatibilityITCase {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Duration LOOK_FOR_EXTRAS = Duration.ofSeconds(2);

  /**
   * How far a restored key's numbers may be from an uninterrupted run of this build: the states in
   * a savepoint were stepped by the build that took it, whose kernels may round differently in the
   * last bit (this build's gate pass does), and those differences stay at rounding level. A state,
   * statistic or model that did not come back moves the numbers by far more.
   */
  private static final double ROUNDING = 1e-5;

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @RegisterExtension
  static final MiniClusterExtension FLINK = ScoringCluster.extension(new Configuration());

  @Test
  void theSavepointOfEveryReleasedKeyStateFormatRestores(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    List<Path> savepoints = releasedSavepoints();
    assertThat(savepoints)
        .as("a savepoint of the current key-state format is committed")
        .anySatisfy(p -> assertThat(p).endsWith(Path.of(GoldenSavepoint.DIRECTORY)));
    for (Path savepoint : savepoints) {
      restoreAndScore(cluster, savepoint);
    }
  }

  private static void restoreAndScore(MiniCluster cluster, Path savepoint) throws Exception {
    String kafka = KAFKA.bootstrapServers();
    byte[] modelFile = Files.readAllBytes(savepoint.resolve(GoldenSavepoint.MODEL_FILE));
    LstmModel model = ModelFile.read(modelFile, ReadOptions.acceptUnsigned());
    List<Event> events = GoldenSavepoint.events();
    int before = GoldenSavepoint.eventsBeforeSavepoint();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
      // Every savepoint names the same topics: each restore starts from new, empty ones.
      deleteTopics(admin);
      GoldenSavepoint.createTopics(admin);
    }
    try (ModelPublisher models = new ModelPublisher(kafka, GoldenSavepoint.TOPICS.models());
        EventProducer producer = new EventProducer(kafka, GoldenSavepoint.TOPICS.events());
        TopicReader scores = TopicReader.readCommitted(kafka, GoldenSavepoint.TOPICS.scores())) {
      // The same records as when the savepoint was taken, so its offsets mean the same here.
      models.publish(GoldenSavepoint.MODEL_NAME, modelFile);
      producer.sendEvents(events.subList(0, before), GoldenSavepoint.KEYS.size(), Duration.ZERO);
      producer.flush();
      try (ScoringJobRun job =
          ScoringJobRun.startFromSavepoint(
              cluster,
              GoldenSavepoint.jobConfig(kafka),
              GoldenSavepoint.SCORING,
              "savepoint-compatibility",
              savepoint.toUri().toString())) {
        job.awaitAllTasksRunning(TIMEOUT);
        producer.sendEvents(
            events.subList(before, events.size()), GoldenSavepoint.KEYS.size(), Duration.ZERO);
        int expected = events.size() - before;
        scores.awaitCount(expected, TIMEOUT);
        List<ConsumerRecord<byte[], byte[]>> committed = scores.readFor(LOOK_FOR_EXTRAS);
        List<ScoreRecord> scored = JobOutput.scores(committed);

        assertThat(job.restoredCheckpoints()).as("restores from the savepoint").isEqualTo(1);
        assertThat(scored.stream().map(JobOutput::id).toList())
            .as("one score for each event after the savepoint, none for those before")
            .hasSize(expected)
            .doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(
                events.subList(before, events.size()).stream().map(JobOutput::id).toList());
        for (String key : GoldenSavepoint.KEYS) {
          List<Event> ofKey = events.stream().filter(e -> e.key.equals(key)).toList();
          List<ScoreRecord> uninterrupted =
              ReferenceScores.of(model, GoldenSavepoint.DETECTOR, ofKey);
          assertWithinRounding(
              JobOutput.ofKey(scored, key),
              uninterrupted.subList(before / GoldenSavepoint.KEYS.size(), ofKey.size()),
              "scores of " + key + " after the restore");
        }
      }
    }
  }

  private static void deleteTopics(Admin admin) throws Exception {
    List<String> names =
        List.of(
            GoldenSavepoint.TOPICS.events(),
            GoldenSavepoint.TOPICS.models(),
            GoldenSavepoint.TOPICS.scores(),
            GoldenSavepoint.TOPICS.deadLetters());
    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    List<String> toDelete = names.stream().filter(existing::contains).toList();
    admin.deleteTopics(toDelete).all().get(30, TimeUnit.SECONDS);
    Waiting.until(
        "deleted topics " + toDelete,
        TIMEOUT,
        () -> Collections.disjoint(admin.listTopics().names().get(30, TimeUnit.SECONDS), names));
  }

  /** The committed savepoints, one folder per released key-state format. */
  private static List<Path> releasedSavepoints() throws Exception {
    Path golden = resource(GoldenSavepoint.DIRECTORY).getParent();
    try (Stream<Path> files = Files.list(golden)) {
      return files.filter(p -> p.getFileName().toString().startsWith("savepoint-")).toList();
    }
  }

  private static Path resource(String name) throws Exception {
    URL url = SavepointCompatibilityITCase.class.getClassLoader().getResource(name);
    assertThat(url).as("test resource %s", name).isNotNull();
    return Path.of(url.toURI());
  }

  /**
   * The same scores as {@code expected}, event for event: the same flags, verdicts and versions,
   * and every number within {@link #ROUNDING} of the uninterrupted run's (relative to its size, at
   * least 1).
   */
  private static void assertWithinRounding(
      List<ScoreRecord> actual, List<ScoreRecord> expected, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      ScoreRecord a = actual.get(i);
      ScoreRecord e = expected.get(i);
      String at = what + ", event " + i + ": " + a + " against " + e;
      assertThat(a.key).as(at).isEqualTo(e.key);
      assertThat(a.ts).as(at).isEqualTo(e.ts);
      assertThat(a.anomaly).as(at).isEqualTo(e.anomaly);
      assertThat(a.flaggedBy).as(at).isEqualTo(e.flaggedBy);
      assertThat(a.warmingUp).as(at).isEqualTo(e.warmingUp);
      assertThat(a.model).as(at).isEqualTo(e.model);
      assertThat(a.modelVersion).as(at).isEqualTo(e.modelVersion);
      assertThat(a.status).as(at).isEqualTo(e.status);
      assertThat(a.values).as(at).isEqualTo(e.values);
      close(a.error, e.error, at);
      close(a.rawScore, e.rawScore, at);
      close(a.likelihood, e.likelihood, at);
      close(a.logLikelihood, e.logLikelihood, at);
      close(a.confidence, e.confidence, at);
      assertThat(a.prediction).as(at).hasSameSizeAs(e.prediction);
      for (int c = 0; c < e.prediction.length; c++) {
        close(a.prediction[c], e.prediction[c], at);
      }
    }
  }

  private static void close(double actual, double expected, String what) {
    assertThat(actual)
        .as(what)
        .isCloseTo(expected, within(ROUNDING * Math.max(1, Math.abs(expected))));
  }
}
