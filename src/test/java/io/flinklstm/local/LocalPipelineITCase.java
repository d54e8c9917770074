package io.flinklstm.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.sidecar.RoundListener;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.Waiting;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline in one JVM with its embedded broker: the sidecar learns a first model from the
 * stream and publishes it, every subtask of the job switches to it, and every event is scored
 * exactly once.
 */
class LocalPipelineITCase {
  private static final List<String> KEYS = EventSeries.keys(24);
  private static final int ROUNDS_BEFORE_MODEL = 20;
  private static final int ROUNDS_TOTAL = 30;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path workDir;

  @Test
  void trainsAModelAndScoresEveryEventExactlyOnce() throws Exception {
    LocalPipelineConfig config =
        LocalPipelineConfig.builder(workDir, EventSeries.DIMENSION)
            .trainer(
                TrainerConfig.builder()
                    .hiddenSize(8)
                    .window(4)
                    .burnIn(2)
                    .batchSize(8)
                    .steps(300)
                    .learningRate(0.01)
                    .build())
            .scoring(
                ScoringConfig.builder("default").coldStart(ColdStartPolicy.BUFFER, 1000).build())
            .trainEvery((long) ROUNDS_BEFORE_MODEL * KEYS.size(), Duration.ZERO)
            .checkpointInterval(Duration.ofMillis(500))
            .build();
    List<ScoreRecord> scores = new ArrayList<>();
    List<DeadLetter> deadLetters = new ArrayList<>();
    List<Event> sent = EventSeries.rounds(KEYS, 0, ROUNDS_TOTAL);
    try (LocalPipeline pipeline = LocalPipeline.start(config)) {
      assertThat(pipeline.config().parallelism()).isEqualTo(2);
      sent.subList(0, ROUNDS_BEFORE_MODEL * KEYS.size()).forEach(pipeline::send);
      pipeline.flush();

      RoundListener.Outcome first = pipeline.sidecar().awaitRound(1, TIMEOUT);
      assertThat(first.decision()).as(first.reason()).isEqualTo(RoundListener.Decision.PUBLISHED);
      assertThat(first.version()).isEqualTo(1);
      Waiting.until("every subtask serving v1", TIMEOUT, () -> pipeline.allSubtasksServe(1));
      assertThat(pipeline.servedVersions()).containsOnlyKeys(0, 1);

      sent.subList(ROUNDS_BEFORE_MODEL * KEYS.size(), sent.size()).forEach(pipeline::send);
      pipeline.flush();
      Waiting.until(
          "all events scored",
          TIMEOUT,
          () -> {
            scores.addAll(pipeline.pollScores(Duration.ofMillis(200)));
            return scores.size() >= sent.size();
          });
      // Anything beyond the expected count would arrive with the next checkpoints.
      Thread.sleep(2 * config.checkpointInterval().toMillis());
      scores.addAll(pipeline.pollScores(Duration.ofMillis(500)));
      deadLetters.addAll(pipeline.pollDeadLetters(Duration.ofMillis(200)));

      Progress progress = pipeline.progress();
      assertThat(progress.eventsSent()).isEqualTo(sent.size());
      assertThat(progress.scoresRead()).isEqualTo(scores.size());
      assertThat(progress.publishedVersion()).isEqualTo(1);
    }

    assertThat(scores.stream().map(JobOutput::id).toList())
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(sent.stream().map(JobOutput::id).toList());
    // Buffered until v1 arrived, then scored by it: no event passes without a model.
    assertThat(scores).extracting(s -> s.status).containsOnly(ScoreRecord.SCORED);
    assertThat(scores).extracting(s -> s.modelVersion).containsOnly(1L);
    assertThat(deadLetters).isEmpty();
    try (Stream<Path> files = Files.walk(workDir.resolve("checkpoints"))) {
      assertThat(files.anyMatch(p -> p.getFileName().toString().equals("_metadata")))
          .as("a completed checkpoint in the checkpoint directory")
          .isTrue();
    }
  }
}
