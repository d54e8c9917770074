package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.detect.Score;
import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.KafkaJobConfig;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.EventProducer;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An analyst's false positive, sent with {@code flink-lstm feedback} to the feedback topic of a
 * real broker, reaches the subtask of its key on a MiniCluster: that key's repeats of the same
 * alarm are silenced for a while, and a key with the same events and no verdict keeps raising them.
 */
class FeedbackITCase {
  private static final String MODEL = "default";
  private static final List<String> KEYS = List.of("judged", "control");
  private static final long BEGINNING = 1_700_000_000_000L;
  private static final long ONE_MINUTE = 60_000L;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final ScoringConfig SCORING =
      ScoringConfig.builder(MODEL)
          .coldStart(ColdStartPolicy.BUFFER, 1000)
          .detector(
              DetectorConfig.builder()
                  .warmupEvents(20)
                  .errorWindow(100)
                  .longWindow(200)
                  .feedbackMemory(1000)
                  .build())
          .build();

  private static final InMemoryReporter METRICS = InMemoryReporter.create();

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      ScoringCluster.extension(METRICS.addToConfiguration(new Configuration()));

  @Test
  void aFalsePositiveSilencesItsKeysRepeatsOfTheSameAlarm(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    ScoringTopics topics = ScoringTopics.create(KAFKA, "feedback");
    String feedback = KafkaBroker.uniqueName("feedback-verdicts");
    KAFKA.createTopics(1, feedback);
    String kafka = KAFKA.bootstrapServers();
    KafkaJobConfig job =
        topics
            .jobConfig(kafka, EventCodec.DEFAULT_MAX_BYTES, EventCodec.DEFAULT_MAX_VALUES)
            .withFeedbackTopic(feedback);
    List<Event> first = new ArrayList<>();
    int t = 0;
    for (; t < 100; t++) {
      first.addAll(ordinary(t));
    }
    first.addAll(spike(t++, 5));
    List<Event> then = new ArrayList<>();
    for (float height : new float[] {10, 20, 40, 80, 160}) {
      for (int end = t + 30; t < end; t++) {
        then.addAll(ordinary(t));
      }
      then.addAll(spike(t++, height));
    }

    List<ScoreRecord> scores;
    try (ModelPublisher models = new ModelPublisher(kafka, topics.models());
        EventProducer events = new EventProducer(kafka, topics.events());
        TopicReader output = TopicReader.readCommitted(kafka, topics.scores());
        ScoringJobRun run = ScoringJobRun.start(cluster, job, SCORING, "feedback")) {
      models.publish(MODEL, ModelFile.write(TestModels.model(MODEL, 1, 2, 8, 3)));
      run.awaitAllTasksRunning(TIMEOUT);
      events.sendEvents(first, KEYS.size(), Duration.ZERO);
      List<ScoreRecord> before = JobOutput.scores(output.awaitCount(first.size(), TIMEOUT));
      ScoreRecord flagged = lastOf(before, "judged");
      assertThat(flagged.flaggedBy).as("the first spike of the judged key").contains("range");
      assertThat(lastOf(before, "control").flaggedBy).contains("range");

      CliRun sent =
          CliRun.run(
              "feedback",
              "--bootstrap-servers",
              kafka,
              "--topic",
              feedback,
              "--key",
              "judged",
              "--ts",
              flagged.ts,
              "--verdict",
              "false_positive",
              "--note",
              "a planned load test");
      assertThat(sent.exitCode()).as(sent.err()).isZero();
      assertThat(sent.out())
          .startsWith("sent verdict=false_positive key=judged ts=" + flagged.ts + " topic=");
      Waiting.until("the verdict applied", TIMEOUT, () -> count(run, "falsePositives") == 1);
      assertThat(count(run, "verdictsUnmatched")).isZero();

      events.sendEvents(then, KEYS.size(), Duration.ZERO);
      scores =
          JobOutput.scores(output.awaitCount(first.size() + then.size(), TIMEOUT))
              .subList(first.size(), first.size() + then.size());
    }
    List<ScoreRecord> judged = JobOutput.ofKey(scores, "judged");
    List<ScoreRecord> control = JobOutput.ofKey(scores, "control");
    long controlRange = flaggedBy(control, Score.BY_RANGE);
    System.out.printf(
        "feedback: after a false positive the judged key raised %d flags (%d by range), the control"
            + " key %d (%d by range)%n",
        flags(judged), flaggedBy(judged, Score.BY_RANGE), flags(control), controlRange);
    assertThat(controlRange).as("the control key's repeats of the range alarm").isEqualTo(5);
    assertThat(flaggedBy(judged, Score.BY_RANGE)).isZero();
    assertThat(flags(judged)).isLessThan(flags(control));
  }

  private static List<Event> ordinary(int t) {
    List<Event> round = new ArrayList<>();
    for (String key : KEYS) {
      round.add(
          new Event(
              key,
              BEGINNING + t * ONE_MINUTE,
              new float[] {(float) Math.sin(t * 0.3), 0.5f},
              null));
    }
    return round;
  }

  private static List<Event> spike(int t, float height) {
    List<Event> round = new ArrayList<>();
    for (String key : KEYS) {
      round.add(new Event(key, BEGINNING + t * ONE_MINUTE, new float[] {height, 0.5f}, null));
    }
    return round;
  }

  private static ScoreRecord lastOf(List<ScoreRecord> scores, String key) {
    List<ScoreRecord> ofKey = JobOutput.ofKey(scores, key);
    return ofKey.get(ofKey.size() - 1);
  }

  private static long flags(List<ScoreRecord> scores) {
    return scores.stream().filter(s -> s.anomaly).count();
  }

  private static long flaggedBy(List<ScoreRecord> scores, String rule) {
    return scores.stream()
        .filter(s -> s.flaggedBy != null && Arrays.asList(s.flaggedBy).contains(rule))
        .count();
  }

  /** The sum over the scoring subtasks of one of their counters. */
  private static long count(ScoringJobRun run, String counter) {
    return METRICS.findMetrics(run.jobId(), "\\." + counter + "$").values().stream()
        .mapToLong(m -> ((Counter) m).getCount())
        .sum();
  }
}
