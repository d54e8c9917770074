package io.flinklstm.cli;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.train.CategoricalEvaluator;
import io.flinklstm.train.SymbolTraining;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code flink-lstm train --input-kind symbols}: reads every key's symbols ({@link SymbolCsv}),
 * trains a categorical model ({@link SymbolTraining}), prints what it learnt against a uniform
 * guess and the symbols' frequencies, and writes the model file (format version 2).
 */
final class SymbolTrainRun {
  private final SymbolModelOptions options;
  private final PrintWriter out;

  SymbolTrainRun(SymbolModelOptions options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** Every --input's symbol sequences: files as they are, directories as their CSV files. */
  static List<SymbolTraining.Sequence> read(List<Path> inputs) throws IOException {
    List<SymbolTraining.Sequence> keys = new ArrayList<>();
    for (Path file : TrainingInputs.files(inputs)) {
      SymbolTraining.Sequence s = SymbolCsv.read(file);
      for (SymbolTraining.Sequence k : keys) {
        if (k.key().equals(s.key())) {
          throw new IllegalArgumentException(
              file + ": the key '" + s.key() + "' comes from two files; keys are file names");
        }
      }
      keys.add(s);
    }
    return keys;
  }

  SymbolTraining training(TrainerConfig trainer) {
    return new SymbolTraining(
        trainer,
        options.cell,
        options.embeddingSize,
        options.maxVocabulary,
        Vocabulary.DEFAULT_UNKNOWN,
        options.topG);
  }

  /**
   * Trains and returns the model, or throws if {@code gateMargin} is given and the model is worse
   * than the parent by more than it.
   *
   * @param parent the --init model, or null
   * @param gateMargin the promotion gate's margin, or null to write the model regardless
   */
  CategoricalModel run(
      List<SymbolTraining.Sequence> keys,
      TrainerConfig trainer,
      String name,
      CategoricalModel parent,
      Double gateMargin,
      TrainingListener listener)
      throws InterruptedException {
    SymbolTraining training = training(trainer);
    long symbols = keys.stream().mapToLong(k -> k.symbols().size()).sum();
    long trained = training.trainingSymbols(keys);
    out.printf(
        Locale.ROOT,
        "data: %d keys, %,d symbols: %,d to train on, %,d held out; %,d updates of %d windows of"
            + " %d%n",
        keys.size(),
        symbols,
        trained,
        symbols - trained,
        trainer.steps(),
        trainer.batchSize(),
        trainer.window());
    SymbolTraining.Result r = training.train(keys, name, parent, Instant.now(), listener);
    CategoricalModel model = r.model();
    CategoricalEvaluator.Evaluation held = r.validation();
    out.printf(
        Locale.ROOT,
        "model %s v%d: vocabulary %d (at most %d, %s included), training loss %.4f nats%s%n",
        model.info().name(),
        model.info().version(),
        model.vocabulary().size(),
        options.maxVocabulary,
        model.vocabulary().unknownSymbol(),
        r.trainLoss(),
        r.skippedSteps() == 0 ? "" : ", " + r.skippedSteps() + " updates skipped");
    if (held.counted() == 0) {
      out.println("held out: nothing (--validation-fraction 0, or keys too short)");
    } else {
      out.printf(
          Locale.ROOT,
          "held out: cross-entropy %.4f nats, top-%d rate %.1f%%; symbol frequencies %.4f nats,"
              + " uniform log V %.4f nats (%,d symbols)%n",
          held.crossEntropy(),
          options.topG,
          100 * held.topGRate(),
          r.frequencyCrossEntropy(),
          r.uniformCrossEntropy(),
          held.counted());
    }
    if (parent != null) {
      gate(r, parent, gateMargin);
    }
    return model;
  }

  private void gate(SymbolTraining.Result r, CategoricalModel parent, Double gateMargin) {
    double mine = r.validation().crossEntropy();
    double theirs = r.parentValidation().crossEntropy();
    double margin = gateMargin == null ? 0 : gateMargin;
    boolean pass = Double.isFinite(mine) && mine <= (1 + margin) * theirs;
    out.printf(
        Locale.ROOT,
        "event=gate decision=%s model=%s version=%d parent=%d val_cross_entropy=%.6f"
            + " parent_val_cross_entropy=%.6f margin=%s%n",
        pass ? "publish" : "reject",
        parent.info().name(),
        r.model().info().version(),
        parent.info().version(),
        mine,
        theirs,
        margin);
    if (gateMargin != null && !pass) {
      throw new IllegalStateException(
          "the promotion gate refused the model (held-out cross-entropy "
              + String.format(Locale.ROOT, "%.4f", mine)
              + " against the parent's "
              + String.format(Locale.ROOT, "%.4f", theirs)
              + "); not written");
    }
  }
}
