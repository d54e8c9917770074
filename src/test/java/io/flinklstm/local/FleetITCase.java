package io.flinklstm.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.evaluate.NabFile;
import io.flinklstm.evaluate.NabLabels;
import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.train.Evaluator;
import io.flinklstm.train.SequenceSet;
import io.flinklstm.train.Series;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.train.TrainingData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of unlike keys through one model name, with the product's defaults for scaling, time
 * inputs, the naive cold start, the promotion gate and the detector: an embedded broker, the job on
 * a local Flink cluster, and the sidecar, replayed in lockstep as {@code evaluate} replays (so the
 * run is the same on any machine).
 *
 * <p>Twenty keys: four kinds (a daily cycle, a cycle with a regular spike, a constant, a cycle with
 * a slow weekly wave) at five scales from 1e-2 to 1e7, so the largest keys sit 10⁹ above the
 * smallest. Anomalies are injected into fifteen keys after a clean first part: a spike, or a level
 * shift or a drop to a tenth of the level for sixty events, each labelled from a little before it
 * starts to a little after it ends.
 */
class FleetITCase {
  private static final int ROWS = 1200;
  private static final int CLEAN_ROWS = 700;
  private static final long BEGINNING = 1_767_225_600_000L;
  private static final long HALF_HOUR = 1_800_000L;
  private static final double[] SCALES = {1e-2, 1, 1e3, 1e5, 1e7};
  private static final String[] KINDS = {"cycle", "spiky", "flat", "noisy"};
  private static final int WINDOW_ROWS = 10;
  private static final int INCIDENT_ROWS = 60;
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);

  /** A flag scores at least the default threshold's log-likelihood, log(1e-4) / log(1e-10). */
  private static final double FLAG_LEVEL = 0.4 - 1e-12;

  @TempDir Path dir;

  private final List<Injected> injected = new ArrayList<>();

  private record Injected(String key, int row) {}

  @Test
  void oneModelServesKeysOfUnlikeScalesAndFindsWhatWasInjected() throws Exception {
    Path root = corpus(dir.resolve("fleet"));
    LocalPipelineConfig config =
        LocalPipelineConfig.builder(dir.resolve("work"), 1)
            .checkpointInterval(Duration.ofMillis(500))
            .scoring(
                ScoringConfig.builder("fleet")
                    .detector(DetectorConfig.DEFAULTS)
                    .coldStart(ColdStartPolicy.NAIVE, 1000)
                    .build())
            .trainer(
                TrainerConfig.builder()
                    .hiddenSize(32)
                    .window(24)
                    .burnIn(8)
                    .batchSize(32)
                    .steps(1500)
                    .learningRate(0.01)
                    .build())
            .time(TimeFeatures.DEFAULT)
            .trainEvery(4000, Duration.ZERO)
            .holdRoundsUntilScored(true)
            .build();
    StringWriter log = new StringWriter();
    NabEvaluation.Outcome outcome =
        new NabEvaluation(config, STEP_TIMEOUT, new PrintWriter(log)).run(root, dir.resolve("out"));
    System.out.print(log);

    LstmModel model = (LstmModel) outcome.models().get("fleet");
    assertThat(model).as("a published model; the run: %s", log).isNotNull();
    assertThat(model.scaling().perKey()).isTrue();
    assertThat(model.time()).isEqualTo(TimeFeatures.DEFAULT);
    assertThat(model.info().metrics()).containsKeys("keys_better", "keys");
    beatsTheLastValueOnEveryKeyThatChanges(root, model);

    int windows = 0;
    int found = 0;
    int flags = 0;
    int flagsInWindows = 0;
    for (NabFile f : outcome.files()) {
      int[][] ranges = f.windowRows();
      for (int[] w : ranges) {
        windows++;
        boolean hit = false;
        for (int r = w[0]; r <= w[1]; r++) {
          hit |= f.scores()[r] >= FLAG_LEVEL;
        }
        found += hit ? 1 : 0;
      }
      for (int r = 0; r < f.rows(); r++) {
        if (f.scores()[r] >= FLAG_LEVEL) {
          flags++;
          boolean inside = false;
          for (int[] w : ranges) {
            inside |= r >= w[0] && r <= w[1];
          }
          flagsInWindows += inside ? 1 : 0;
          // The largest and the smallest keys are never flagged for their scale alone.
          if (f.name().contains("e7") || f.name().contains("e-2")) {
            assertThat(inside).as("%s flagged at row %d outside its windows", f.name(), r).isTrue();
          }
        }
      }
    }
    assertThat(windows).isEqualTo(injected.size());
    double recall = found / (double) windows;
    double precision = flagsInWindows / (double) flags;
    System.out.printf(
        Locale.ROOT,
        "fleet: windows=%d found=%d flags=%d in_windows=%d recall=%.3f precision=%.3f%n",
        windows,
        found,
        flags,
        flagsInWindows,
        recall,
        precision);
    assertThat(recall).as("recall, %d of %d windows", found, windows).isGreaterThanOrEqualTo(0.9);
    assertThat(precision)
        .as("precision, %d of %d flags in windows", flagsInWindows, flags)
        .isGreaterThanOrEqualTo(0.9);
  }

  /**
   * The published model, run over each key's clean part scaled as the job scales it (with each
   * row's time inputs), predicts the most recent 40% of it (values the model was trained on in part
   * at most: it was published before) better than repeating the last value, on every key whose
   * values change (a constant key's last value is its exact forecast, which no model beats).
   */
  private void beatsTheLastValueOnEveryKeyThatChanges(Path root, LstmModel model)
      throws IOException {
    List<Series> clean = new ArrayList<>();
    int step = model.stepSize();
    for (TimedSeries s : TimedCsv.readFolder(root.resolve("data"))) {
      if (s.key().contains("flat")) {
        continue;
      }
      float[] steps = new float[CLEAN_ROWS * step];
      for (int r = 0; r < CLEAN_ROWS; r++) {
        steps[r * step] = s.values()[r][0];
        model.time().encode(s.times()[r], steps, r * step + 1);
      }
      clean.add(new Series(s.key(), step, steps));
    }
    SequenceSet scaled =
        new SequenceSet(step, clean, InputScaling.NONE, model.time()).scaled(model.scaling());
    TrainingData data = TrainingData.split(scaled, 24, 8, 0.4, 10_000);
    Evaluator.Losses losses = Evaluator.validationLosses(model, data, model.normalizer());
    Evaluator.Losses naive = Evaluator.lastValueLosses(data, model.normalizer());
    for (int k = 0; k < clean.size(); k++) {
      System.out.printf(
          Locale.ROOT,
          "%s: model %.5f, last value %.5f%n",
          clean.get(k).key(),
          losses.perKey()[k],
          naive.perKey()[k]);
    }
    for (int k = 0; k < clean.size(); k++) {
      assertThat(losses.perKey()[k])
          .as("%s against repeating its last value", clean.get(k).key())
          .isLessThan(naive.perKey()[k]);
    }
  }

  private Path corpus(Path root) throws IOException {
    Path data = Files.createDirectories(root.resolve("data").resolve("fleet"));
    Random random = new Random(17);
    StringBuilder labels = new StringBuilder("{\n");
    List<String> entries = new ArrayList<>();
    for (int s = 0; s < SCALES.length; s++) {
      for (int k = 0; k < KINDS.length; k++) {
        String key = KINDS[k] + "-" + scaleName(SCALES[s]);
        double[] values = series(KINDS[k], random);
        List<int[]> windows = inject(key, k, s, values);
        List<String> lines = new ArrayList<>();
        lines.add("timestamp,value");
        for (int r = 0; r < ROWS; r++) {
          lines.add(
              NabLabels.formatTime(time(r))
                  + ","
                  + String.format(Locale.ROOT, "%.9g", SCALES[s] * values[r]));
        }
        Files.write(data.resolve(key + ".csv"), lines);
        StringBuilder w = new StringBuilder("[");
        for (int[] window : windows) {
          w.append(w.length() > 1 ? ", " : "")
              .append("[\"")
              .append(NabLabels.formatTime(time(window[0])))
              .append(".000000\", \"")
              .append(NabLabels.formatTime(time(window[1])))
              .append(".000000\"]");
        }
        entries.add("  \"fleet/" + key + ".csv\": " + w.append(']'));
      }
    }
    labels.append(String.join(",\n", entries)).append("\n}\n");
    Path labelDir = Files.createDirectories(root.resolve("labels"));
    Files.writeString(labelDir.resolve("combined_windows.json"), labels);
    return root;
  }

  /** A key's values in its own units (before its scale). */
  private static double[] series(String kind, Random random) {
    double[] v = new double[ROWS];
    for (int r = 0; r < ROWS; r++) {
      double day = Math.sin(2 * Math.PI * r / 48);
      v[r] =
          switch (kind) {
            case "cycle" -> 10 + day + 0.05 * random.nextGaussian();
            case "spiky" -> 5 + 0.3 * day + (r % 24 == 12 ? 2 : 0) + 0.05 * random.nextGaussian();
            case "flat" -> 3;
            default -> 20 + 2 * day + 0.5 * random.nextGaussian();
          };
    }
    return v;
  }

  /**
   * Injects anomalies into fifteen of the twenty keys (all but one kind at one scale each): a
   * spike, a level shift or a drop, after the clean part; returns their labelled windows.
   */
  private List<int[]> inject(String key, int kind, int scale, double[] v) {
    List<int[]> windows = new ArrayList<>();
    if ((kind + scale) % 4 == 3) {
      return windows;
    }
    int at = CLEAN_ROWS + 50 + 60 * ((kind + 2 * scale) % 6);
    double level = Math.abs(v[at - 1]);
    int length = 1;
    switch ((kind + scale) % 3) {
      case 0 -> v[at] += 3 * level;
      case 1 -> {
        length = INCIDENT_ROWS;
        for (int r = at; r < at + length; r++) {
          v[r] += 0.8 * level;
        }
      }
      default -> {
        length = INCIDENT_ROWS;
        for (int r = at; r < at + length; r++) {
          v[r] *= 0.1;
        }
      }
    }
    // The window spans the incident, its start and its end, as an operator would label it.
    windows.add(new int[] {at - WINDOW_ROWS / 2, at + length + WINDOW_ROWS});
    injected.add(new Injected(key, at));
    return windows;
  }

  private static String scaleName(double scale) {
    return String.format(Locale.ROOT, "%.0e", scale).replace("+0", "").replace("-0", "-");
  }

  private static long time(int row) {
    return BEGINNING + row * HALF_HOUR;
  }
}
