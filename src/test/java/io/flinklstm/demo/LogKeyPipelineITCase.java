package io.flinklstm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.local.LocalPipeline;
import io.flinklstm.local.LocalPipelineConfig;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.sidecar.CategoricalLearner;
import io.flinklstm.sidecar.CategoricalLearnerConfig;
import io.flinklstm.sidecar.RoundListener;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.Waiting;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detection check of categorical streams through the real pipeline (embedded broker, scoring
 * job on a local Flink cluster, training sidecar): the sidecar learns a next-symbol model from the
 * clean part of the synthetic log-key workload, the job scores every event with it, and the
 * anomalies injected into the rest must be found with precision and recall both at least 0.9.
 *
 * <p>How it is counted: an injected anomaly is found when at least one event of its labelled window
 * ({@link LogKeyLabel}: the anomalous events and the one after them) is flagged; recall is found
 * anomalies over injected ones. Precision is per flagged event, over every scored event of the run,
 * the clean part included: flagged events inside a window over all flagged events.
 */
class LogKeyPipelineITCase {
  private static final String MODEL = "log-keys";
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final double MIN_PROBABILITY = 0.002;

  @TempDir Path workDir;

  @Test
  void findsTheInjectedAnomaliesWithPrecisionAndRecallAboveNinetyPercent() throws Exception {
    // Fewer evaluation events than clean ones, so the sidecar's second round never comes.
    LogKeyWorkload workload =
        LogKeyWorkload.generate(
            new LogKeyWorkload.Settings(7, 8, 400, 300, 40, 0.25, 1_767_225_600_000L, null));
    TrainerConfig trainer =
        TrainerConfig.builder()
            .hiddenSize(32)
            .layers(1)
            .window(24)
            .burnIn(16)
            .batchSize(16)
            .steps(1500)
            .learningRate(0.01)
            .validationFraction(0.1)
            .seed(1)
            .build();
    CategoricalLearner learner =
        new CategoricalLearner(
            MODEL,
            new CategoricalLearnerConfig(
                trainer,
                CellType.LSTM,
                8,
                64,
                Vocabulary.DEFAULT_UNKNOWN,
                4096,
                10_000_000L,
                0.0,
                9),
            Clock.systemUTC());
    ScoringConfig scoring =
        ScoringConfig.builder(MODEL)
            .detector(
                DetectorConfig.builder()
                    .warmupEvents(20)
                    .errorWindow(1000)
                    .shortWindow(10)
                    .longWindow(2000)
                    .threshold(0.9999)
                    .build())
            .minProbability(MIN_PROBABILITY)
            .build();
    LocalPipelineConfig config =
        LocalPipelineConfig.builder(workDir, 1)
            .scoring(scoring)
            .trainEvery(workload.training().size(), Duration.ZERO)
            .checkpointInterval(Duration.ofMillis(500))
            .build();

    List<ScoreRecord> scores = new ArrayList<>();
    List<DeadLetter> deadLetters = new ArrayList<>();
    List<Event> sent = workload.events();
    try (LocalPipeline pipeline = LocalPipeline.start(config, learner)) {
      workload.training().forEach(pipeline::send);
      pipeline.flush();
      RoundListener.Outcome first = pipeline.sidecar().awaitRound(1, TIMEOUT);
      assertThat(first.decision()).as(first.reason()).isEqualTo(RoundListener.Decision.PUBLISHED);
      Waiting.until("every subtask serving v1", TIMEOUT, () -> pipeline.allSubtasksServe(1));
      assertThat(pipeline.sidecar().current()).isInstanceOf(CategoricalModel.class);

      workload.evaluation().forEach(pipeline::send);
      pipeline.flush();
      Waiting.until(
          "all events scored",
          TIMEOUT,
          () -> {
            scores.addAll(pipeline.pollScores(Duration.ofMillis(200)));
            return scores.size() >= sent.size();
          });
      Thread.sleep(2 * config.checkpointInterval().toMillis());
      scores.addAll(pipeline.pollScores(Duration.ofMillis(500)));
      deadLetters.addAll(pipeline.pollDeadLetters(Duration.ofMillis(200)));
      assertThat(pipeline.sidecar().rounds()).hasSize(1);
    }

    assertThat(deadLetters).isEmpty();
    assertThat(scores.stream().map(JobOutput::id).toList())
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(sent.stream().map(JobOutput::id).toList());
    assertThat(scores).extracting(s -> s.modelVersion).containsOnly(1L);

    long flagged = 0;
    long flaggedInWindows = 0;
    Set<LogKeyLabel> found = new HashSet<>();
    Map<String, Long> verdicts = new java.util.TreeMap<>();
    for (ScoreRecord s : scores) {
      if (!s.anomaly) {
        continue;
      }
      flagged++;
      verdicts.merge(s.verdict, 1L, Long::sum);
      LogKeyLabel label = workload.labelOf(s.key, s.ts);
      if (label != null) {
        flaggedInWindows++;
        found.add(label);
      }
    }
    Map<LogKeyAnomaly, int[]> byKind = new EnumMap<>(LogKeyAnomaly.class);
    for (LogKeyLabel l : workload.labels()) {
      int[] c = byKind.computeIfAbsent(l.kind(), k -> new int[2]);
      c[1]++;
      c[0] += found.contains(l) ? 1 : 0;
    }
    double precision = (double) flaggedInWindows / flagged;
    double recall = (double) found.size() / workload.labels().size();
    StringBuilder kinds = new StringBuilder();
    byKind.forEach(
        (k, c) -> kinds.append(' ').append(k).append('=').append(c[0]).append('/').append(c[1]));
    System.out.printf(
        "log-key detection: events=%d anomalies=%d flagged=%d in_windows=%d precision=%.3f"
            + " recall=%.3f verdicts=%s found_by_kind:%s%n",
        scores.size(),
        workload.labels().size(),
        flagged,
        flaggedInWindows,
        precision,
        recall,
        verdicts,
        kinds);
    assertThat(precision).as("precision per flagged event").isGreaterThanOrEqualTo(0.9);
    assertThat(recall).as("recall per injected anomaly").isGreaterThanOrEqualTo(0.9);
  }
}
