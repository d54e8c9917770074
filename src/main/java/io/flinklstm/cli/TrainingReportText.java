package io.flinklstm.cli;

import io.flinklstm.model.LstmModel;
import io.flinklstm.train.Candidate;
import io.flinklstm.train.Evaluator;
import io.flinklstm.train.SequenceSet;
import io.flinklstm.train.Series;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.train.TrainingData;
import io.flinklstm.train.TrainingReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code train} prints on standard output: the data, the run, the losses against the
 * last-value baseline, overall and per key. The ratio of a model's loss to the baseline's on the
 * same targets does not depend on the units, so per-key ratios compare across keys of any scale.
 */
final class TrainingReportText {
  /** Keys whose spread is below this share of the model's std get a note. */
  private static final double SCALE_NOTE_RATIO = 0.1;

  /** Keys listed one by one; beyond that only the total is printed. */
  private static final int MAX_KEYS_LISTED = 50;

  private TrainingReportText() {}

  static String dataLine(SequenceSet set, TrainingData data, TrainerConfig config) {
    return String.format(
        Locale.ROOT,
        "data: %d series, %,d steps of %d value(s); %,d training windows, %,d validation windows"
            + " (window %d, burn-in %d, most recent %.0f%% of each key held out)",
        set.series().size(),
        set.totalSteps(),
        set.inputSize(),
        data.trainingWindows(),
        data.validationWindows(),
        config.window(),
        config.burnIn(),
        100 * config.validationFraction());
  }

  static void print(PrintWriter out, Candidate candidate, LstmModel model, TrainingData data) {
    TrainingReport r = candidate.report();
    double seconds = r.elapsed().toNanos() / 1e9;
    out.printf(
        Locale.ROOT,
        "trained '%s' version %d (%s): %,d steps, %d skipped, %,d sequence-steps in %.1f s"
            + " (%,.0f/s)%n",
        candidate.info().name(),
        candidate.info().version(),
        r.warmStart() ? "from version " + candidate.info().parentVersion() : "from scratch",
        r.steps(),
        r.skippedSteps(),
        r.sequenceSteps(),
        seconds,
        seconds > 0 ? r.sequenceSteps() / seconds : 0);
    out.printf(
        Locale.ROOT,
        "loss (normalised MSE): train %s, validation %s, last-value baseline %s, ratio %s%n",
        number(r.trainLoss()),
        number(r.validationLoss()),
        number(r.baselineLoss()),
        number(r.validationLoss() / r.baselineLoss()));
    List<Series> series = data.data().series();
    if (series.size() > 1 && data.validationWindows() > 0) {
      printPerKey(out, model, data, series);
    }
  }

  private static void printPerKey(
      PrintWriter out, LstmModel model, TrainingData data, List<Series> series) {
    int width = 8;
    for (Series s : series) {
      width = Math.max(width, s.key().length());
    }
    out.printf(
        Locale.ROOT,
        "  %-" + width + "s %8s %12s %12s %8s%n",
        "key",
        "windows",
        "val_loss",
        "baseline",
        "ratio");
    int listed = 0;
    for (Series s : series) {
      if (listed == MAX_KEYS_LISTED) {
        out.printf(Locale.ROOT, "  ... and %d more keys%n", series.size() - listed);
        break;
      }
      TrainingData one =
          TrainingData.split(
              new SequenceSet(data.inputSize(), List.of(s)),
              data.window(),
              data.burnIn(),
              data.validationFraction(),
              Integer.MAX_VALUE);
      if (one.validationWindows() == 0) {
        continue;
      }
      double loss = Evaluator.validationLoss(model, one);
      double baseline = Evaluator.lastValueLoss(one, model.normalizer());
      out.printf(
          Locale.ROOT,
          "  %-" + width + "s %8d %12s %12s %8s%n",
          s.key(),
          one.validationWindows(),
          number(loss),
          number(baseline),
          number(loss / baseline));
      listed++;
    }
  }

  /**
   * A note when some keys vary by less than a tenth of the model's standard deviation: one
   * normaliser serves every key of a model, so such keys look nearly constant to it, and their
   * errors count for little in its loss.
   */
  static Optional<String> scaleNote(LstmModel model, TrainingData data) {
    float[] std = model.normalizer().std();
    int narrow = 0;
    String narrowest = null;
    double smallest = Double.MAX_VALUE;
    for (Series s : data.data().series()) {
      for (int f = 0; f < std.length; f++) {
        double ratio = standardDeviation(s, f) / std[f];
        if (ratio < SCALE_NOTE_RATIO) {
          narrow++;
          if (ratio < smallest) {
            smallest = ratio;
            narrowest = s.key();
          }
          break;
        }
      }
    }
    if (narrow == 0 || data.data().series().size() == 1) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "note: %d of %d keys vary by less than %.0f%% of the model's standard deviation"
                + " (least: %s, %.2g); one normaliser serves all keys of a model, so these look"
                + " nearly constant to it. Keys of different scales train better scaled per key"
                + " (--scaling per-key) or as separate models.",
            narrow,
            data.data().series().size(),
            100 * SCALE_NOTE_RATIO,
            narrowest,
            smallest));
  }

  private static double standardDeviation(Series s, int f) {
    double mean = 0;
    double m2 = 0;
    for (int t = 0; t < s.length(); t++) {
      double delta = s.value(t, f) - mean;
      mean += delta / (t + 1);
      m2 += delta * (s.value(t, f) - mean);
    }
    return Math.sqrt(m2 / s.length());
  }

  private static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "-";
  }
}
