package io.flinklstm.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.evaluate.NabFile;
import io.flinklstm.evaluate.NabLabels;
import io.flinklstm.evaluate.NabScorer;
import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.train.TrainerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation over a small NAB-layout corpus, twice: both runs go through the real broker, job
 * and sidecar, and write the same result files, so the result does not depend on timing.
 */
class NabEvaluationITCase {
  private static final int KEYS = 20;
  private static final int ROWS = 400;
  private static final long CHUNK = 2000;
  private static final long BEGINNING = 1_396_310_400_000L;
  private static final long FIVE_MINUTES = 300_000L;
  private static final int SPIKE_ROW = 220;
  private static final int QUIET_EVENTS = 20;
  private static final int WARMUP = 20;

  /** The log-likelihood of the threshold 0.9999: log(1e-4) / log(1e-10). */
  private static final double FLAG_LEVEL = 0.4 - 1e-12;

  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path dir;

  @Test
  void twoRunsOverTheSameCorpusWriteTheSameResults() throws Exception {
    Path root = corpus(dir.resolve("nab"));

    NabEvaluation.Outcome first = evaluate(root, dir.resolve("work1"), dir.resolve("out1"));
    NabEvaluation.Outcome second = evaluate(root, dir.resolve("work2"), dir.resolve("out2"));

    assertThat(first.rounds()).isEqualTo((int) ((KEYS * ROWS - 1) / CHUNK));
    assertThat(first.finalVersion()).isPositive();
    for (int k = 0; k < KEYS; k++) {
      String name = "synthetic/key-" + k + ".csv";
      List<String> a = Files.readAllLines(dir.resolve("out1").resolve(name));
      List<String> b = Files.readAllLines(dir.resolve("out2").resolve(name));
      assertThat(a).as(name).hasSize(ROWS + 1).isEqualTo(b);
      assertThat(a.get(0)).isEqualTo("timestamp,value,anomaly_score,label,error,flagged_by");
    }
    assertThat(second.results())
        .extracting(NabScorer.Result::normalized)
        .isEqualTo(first.results().stream().map(NabScorer.Result::normalized).toList());

    // Rows before the first model are scored by the naive forecast; none in a key's warm-up.
    for (NabFile f : first.files()) {
      for (int r = 0; r < WARMUP; r++) {
        assertThat(f.scores()[r]).as("%s row %d", f.name(), r).isZero();
      }
    }
    // Scores are the job's graded confidence: a flag scores at least the threshold's
    // log-likelihood (0.4 at 0.9999), and no key scores anything in the quiet period after one.
    for (NabFile f : first.files()) {
      assertThat(Arrays.stream(f.scores()).allMatch(s -> s >= 0 && s <= 1)).as(f.name()).isTrue();
      for (int r = 0; r < f.rows(); r++) {
        if (f.scores()[r] >= FLAG_LEVEL) {
          for (int q = r + 1; q <= Math.min(f.rows() - 1, r + QUIET_EVENTS); q++) {
            assertThat(f.scores()[q]).as("%s row %d after the flag at %d", f.name(), q, r).isZero();
          }
        }
      }
    }
    for (int k = 0; k < KEYS; k += 2) {
      String name = "synthetic/key-" + k + ".csv";
      double[] s =
          first.files().stream()
              .filter(f -> f.name().equals(name))
              .findFirst()
              .orElseThrow()
              .scores();
      assertThat(Arrays.stream(s, SPIKE_ROW, SPIKE_ROW + 3).anyMatch(v -> v >= FLAG_LEVEL))
          .as("key-%d at its spike", k)
          .isTrue();
    }
  }

  private static NabEvaluation.Outcome evaluate(Path root, Path work, Path out) throws Exception {
    LocalPipelineConfig config =
        LocalPipelineConfig.builder(work, 1)
            .checkpointInterval(Duration.ofMillis(500))
            .scoring(
                ScoringConfig.builder("nab")
                    .detector(
                        DetectorConfig.builder()
                            .warmupEvents(WARMUP)
                            .errorWindow(100)
                            .shortWindow(5)
                            .longWindow(200)
                            .threshold(0.9999)
                            .quietEvents(QUIET_EVENTS)
                            .build())
                    .coldStart(ColdStartPolicy.NAIVE, 1000)
                    .build())
            .trainer(
                TrainerConfig.builder()
                    .hiddenSize(8)
                    .window(8)
                    .burnIn(2)
                    .batchSize(8)
                    .steps(100)
                    .learningRate(0.01)
                    .build())
            .trainEvery(CHUNK, Duration.ZERO)
            .holdRoundsUntilScored(true)
            .build();
    StringWriter log = new StringWriter();
    NabEvaluation.Outcome outcome =
        new NabEvaluation(config, STEP_TIMEOUT, new PrintWriter(log)).run(root, out);
    assertThat(log.toString()).contains("events=" + KEYS * ROWS + "/" + KEYS * ROWS);
    return outcome;
  }

  /**
   * Keys of very different scales: a daily cycle with noise, and a spike at a labelled window in
   * every other key.
   */
  private static Path corpus(Path root) throws IOException {
    Path data = Files.createDirectories(root.resolve("data").resolve("synthetic"));
    Random random = new Random(42);
    StringBuilder labels = new StringBuilder("{\n");
    for (int k = 0; k < KEYS; k++) {
      double scale = Math.pow(10, k % 5 - 2);
      List<String> lines = new ArrayList<>();
      lines.add("timestamp,value");
      for (int r = 0; r < ROWS; r++) {
        double v = scale * (10 + Math.sin(2 * Math.PI * r / 48) + 0.1 * random.nextGaussian());
        if (k % 2 == 0 && r == SPIKE_ROW) {
          v += 8 * scale;
        }
        lines.add(NabLabels.formatTime(time(r)) + "," + String.format(Locale.ROOT, "%.6f", v));
      }
      Files.write(data.resolve("key-" + k + ".csv"), lines);
      String windows =
          k % 2 == 0
              ? "[[\""
                  + NabLabels.formatTime(time(SPIKE_ROW - 5))
                  + ".000000\", \""
                  + NabLabels.formatTime(time(SPIKE_ROW + 5))
                  + ".000000\"]]"
              : "[]";
      labels
          .append("  \"synthetic/key-")
          .append(k)
          .append(".csv\": ")
          .append(windows)
          .append(k < KEYS - 1 ? ",\n" : "\n");
    }
    labels.append("}\n");
    Path labelDir = Files.createDirectories(root.resolve("labels"));
    Files.writeString(labelDir.resolve("combined_windows.json"), labels);
    return root;
  }

  private static long time(int row) {
    return BEGINNING + row * FIVE_MINUTES;
  }
}
