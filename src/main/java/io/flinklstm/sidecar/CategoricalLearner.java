package io.flinklstm.sidecar;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.train.CategoricalEvaluator;
import io.flinklstm.train.CategoricalInitializer;
import io.flinklstm.train.CategoricalTrainer;
import io.flinklstm.train.SymbolTraining;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.train.TrainingListener;
import io.flinklstm.train.VocabularyBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sidecar's training of a categorical (next-symbol) model from symbol events.
 *
 * <p>Each round splits every key's sampled symbols in time: the last {@code validationFraction} of
 * them are held out (judged after the {@code burnIn} symbols before them, as the job would have
 * judged them), the rest train. The vocabulary is grown from the training symbols up to {@code
 * maxVocabulary} and frozen with the version: the first version takes the most frequent symbols; a
 * later one keeps its parent's symbols and ids and appends the most frequent new ones while there
 * is room, and is warm-started from the parent ({@link CategoricalInitializer#remap}: a new symbol
 * starts from the parent's out-of-vocabulary row). Symbols beyond the bound stay out-of-vocabulary.
 * A symbol the job flagged (with the sidecar's scores topic) or an analyst confirmed as an anomaly
 * is cut out of its key's stream ({@link SymbolSample}), so training never learns it.
 *
 * <p>The promotion gate compares held-out cross-entropy (mean −log p, each model reading the
 * symbols through its own vocabulary): the candidate is published when it is at most (1 + margin)
 * times the current model's. The first model is published when its cross-entropy is finite.
 */
public final class CategoricalLearner implements Learner {
  private final String name;
  private final CategoricalLearnerConfig config;
  private final SymbolSample sample;
  private final Clock clock;
  private long rounds;

  public CategoricalLearner(String name, CategoricalLearnerConfig config, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sample = new SymbolSample(config.symbolsPerKey(), config.maxStoredSymbols());
  }

  @Override
  public void observe(String key, long ts, float[] values) {
    throw new IllegalArgumentException(
        "this sidecar learns a categorical model (--input-kind symbols), not values");
  }

  @Override
  public void observeSymbol(String key, long ts, String symbol) {
    sample.append(key, ts, symbol);
  }

  @Override
  public void observeFlagged(String key, long ts) {
    sample.markFlagged(key, ts);
  }

  @Override
  public void observeVerdict(String key, long ts, boolean confirmed) {
    sample.markVerdict(key, ts, confirmed);
  }

  @Override
  public Round train(SequenceModel current) throws InterruptedException {
    if (current != null && !(current instanceof CategoricalModel)) {
      throw new IllegalArgumentException(
          "the published model '"
              + current.info().name()
              + "' is numeric but this sidecar learns a categorical model (--input-kind symbols)");
    }
    CategoricalModel parent = (CategoricalModel) current;
    TrainerConfig trainer =
        config.trainer().toBuilder().seed(config.trainer().seed() + rounds++).build();
    List<List<String>> training = new ArrayList<>();
    List<List<String>> validation = new ArrayList<>();
    for (List<String> sequence : sample.snapshot()) {
      SymbolTraining.split(sequence, trainer, training, validation);
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    VocabularyBuilder counts = new VocabularyBuilder();
    long trainingSymbols = 0;
    for (List<String> sequence : training) {
      for (String s : sequence) {
        if (!s.equals(config.unknownSymbol())) {
          counts.add(s);
        }
      }
      trainingSymbols += sequence.size();
    }
    metrics.put("training_symbols", (double) trainingSymbols);
    if (counts.distinct() == 0) {
      return new Round(null, false, "no_training_data", metrics);
    }
    Vocabulary vocabulary =
        parent == null
            ? counts.build(config.maxVocabulary(), config.unknownSymbol())
            : SymbolTraining.grow(parent.vocabulary(), counts, config.maxVocabulary());
    metrics.put("vocabulary_size", (double) vocabulary.size());
    CategoricalModel initial = initial(parent, vocabulary, trainer);
    CategoricalTrainer.Result result;
    try {
      result =
          new CategoricalTrainer(trainer)
              .train(initial, ids(training, vocabulary), TrainingListener.NONE);
    } catch (IllegalArgumentException e) {
      return new Round(null, false, "no_training_data", metrics);
    }
    metrics.put("train_loss", result.trainLoss());
    metrics.put("skipped_steps", (double) result.skippedSteps());
    CategoricalEvaluator.Evaluation candidate = evaluate(result.model(), validation, trainer);
    metrics.put("validation_cross_entropy", candidate.crossEntropy());
    metrics.put("validation_top_g_rate", candidate.topGRate());
    metrics.put("validation_symbols", (double) candidate.counted());
    if (candidate.counted() == 0) {
      return new Round(result.model(), false, "no_validation_data", metrics);
    }
    if (!Double.isFinite(candidate.crossEntropy())) {
      return new Round(result.model(), false, "not_finite", metrics);
    }
    if (parent == null) {
      return new Round(result.model(), true, "first_model", metrics);
    }
    double currentLoss = evaluate(parent, validation, trainer).crossEntropy();
    metrics.put("current_cross_entropy", currentLoss);
    boolean better = candidate.crossEntropy() <= (1 + config.gateMargin()) * currentLoss;
    return new Round(result.model(), better, better ? "better" : "not_better", metrics);
  }

  private CategoricalModel initial(
      CategoricalModel parent, Vocabulary vocabulary, TrainerConfig trainer) {
    if (parent == null) {
      return CategoricalInitializer.fresh(
          ModelInfo.first(name, clock.instant()),
          vocabulary,
          config.embeddingSize(),
          config.cell(),
          trainer.hiddenSize(),
          trainer.layers(),
          trainer.seed());
    }
    return vocabulary.equals(parent.vocabulary())
        ? parent
        : CategoricalInitializer.remap(parent, vocabulary, parent.info());
  }

  private CategoricalEvaluator.Evaluation evaluate(
      CategoricalModel model, List<List<String>> sequences, TrainerConfig trainer) {
    int burnIn = trainer.burnIn();
    List<int[]> ids = ids(sequences, model.vocabulary());
    return CategoricalEvaluator.evaluate(model, ids, burnIn, config.topG());
  }

  private static List<int[]> ids(List<List<String>> sequences, Vocabulary vocabulary) {
    List<int[]> out = new ArrayList<>(sequences.size());
    for (List<String> sequence : sequences) {
      int[] ids = new int[sequence.size()];
      for (int t = 0; t < ids.length; t++) {
        ids[t] = vocabulary.id(sequence.get(t));
      }
      out.add(ids);
    }
    return out;
  }
}
