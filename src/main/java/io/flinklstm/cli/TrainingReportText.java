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

/**
 * What {@code train} prints on standard output: the data, the run, the losses against the
 * last-value baseline, overall and per key. The ratio of a model's loss to the baseline's on the
 * same targets does not depend on the units, so per-key ratios compare across keys of any scale.
 */
final class TrainingReportText {
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

  private static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "-";
  }
}
