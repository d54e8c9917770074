package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.CliProcess;
import io.flinklstm.testutil.Directories;
import io.flinklstm.testutil.EventProducer;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.KafkaBroker;
import io.flinklstm.testutil.ModelPublisher;
import io.flinklstm.testutil.ReferenceScores;
import io.flinklstm.testutil.ScoringTopics;
import io.flinklstm.testutil.TestDetectors;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.testutil.TopicReader;
import io.flinklstm.testutil.Waiting;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code flink-lstm job} stopped and started again as a user would run it, a process each time:
 * started with {@code --restore latest}, the second run takes every key's state from the newest
 * checkpoint the first left, so each key scores on as if the job had never stopped, and every event
 * has exactly one committed score.
 */
class JobRestoreITCase {
  private static final Path WORK = Path.of("target", "job-restore").toAbsolutePath();
  private static final String MODEL_NAME = "default";
  private static final List<String> KEYS = EventSeries.keys(8);
  private static final int ROUNDS = 80;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final LstmModel MODEL =
      TestModels.model(MODEL_NAME, 1, EventSeries.DIMENSION, 8, 29);
  private static final DetectorConfig DETECTOR = TestDetectors.SHORT_WINDOWS;

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @Test
  void aJobStartedAgainWithRestoreLatestScoresOnFromItsLastCheckpoint() throws Exception {
    Directories.recreate(WORK);
    ScoringTopics topics = ScoringTopics.create(KAFKA, "job-restore");
    String kafka = KAFKA.bootstrapServers();
    List<Event> events = EventSeries.rounds(KEYS, 0, ROUNDS);
    int before = ROUNDS / 2 * KEYS.size();

    try (ModelPublisher models = new ModelPublisher(kafka, topics.models());
        EventProducer producer = new EventProducer(kafka, topics.events());
        TopicReader scores = TopicReader.readCommitted(kafka, topics.scores())) {
      models.publish(MODEL_NAME, ModelFile.write(MODEL));

      Process first = startJob(kafka, topics, "first", List.of());
      try {
        producer.sendEvents(events.subList(0, before), KEYS.size(), Duration.ZERO);
        scores.awaitCount(before, TIMEOUT);
      } finally {
        stop(first);
      }

      Process second = startJob(kafka, topics, "second", List.of("--restore", "latest"));
      try {
        String startLine = awaitStartLine("second");
        assertThat(startLine).as("the second run's start line").contains("restored_from=file:");
        producer.sendEvents(events.subList(before, events.size()), KEYS.size(), Duration.ZERO);
        scores.awaitCount(events.size(), TIMEOUT);
        List<ScoreRecord> scored = JobOutput.scores(scores.readFor(Duration.ofSeconds(2)));

        assertThat(scored.stream().map(JobOutput::id).toList())
            .as("one committed score per event over both runs")
            .hasSize(events.size())
            .doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(events.stream().map(JobOutput::id).toList());
        for (String key : KEYS) {
          List<Event> ofKey = events.stream().filter(e -> e.key.equals(key)).toList();
          assertThat(JobOutput.ofKey(scored, key))
              .as("scores of %s across the restart", key)
              .containsExactlyElementsOf(ReferenceScores.of(MODEL, DETECTOR, ofKey));
        }
      } finally {
        stop(second);
      }
    }
  }

  private static Process startJob(
      String kafka, ScoringTopics topics, String name, List<String> extra) throws Exception {
    List<String> options =
        new ArrayList<>(
            List.of(
                // Events wait for the model rather than score against the naive forecast, however
                // late the job reads the models topic.
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
                "job-restore",
                "--transactional-id-prefix",
                "job-restore",
                "--checkpoint-dir",
                WORK.resolve("checkpoints").toString(),
                "--checkpoint-interval",
                "1s",
                "--transaction-timeout",
                "60s",
                "--parallelism",
                "2"));
    options.addAll(TestDetectors.shortWindowsOptions());
    options.addAll(extra);
    return new ProcessBuilder(CliProcess.command("job", options))
        .redirectErrorStream(true)
        .redirectOutput(WORK.resolve(name + ".log").toFile())
        .start();
  }

  /** The run's {@code event=start} line, once it has logged it. */
  private static String awaitStartLine(String name) throws Exception {
    Path log = WORK.resolve(name + ".log");
    Waiting.until(
        name + " run's start line", TIMEOUT, () -> Files.readString(log).contains("event=start"));
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(l -> l.contains("event=start"))
        .findFirst()
        .orElseThrow();
  }

  /** Stops the job as a user's Ctrl-C or {@code kill} does (SIGTERM) and waits for it. */
  private static void stop(Process job) throws InterruptedException {
    job.destroy();
    if (!job.waitFor(60, TimeUnit.SECONDS)) {
      job.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
