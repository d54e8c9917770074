package io.flinklstm.train;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Vocabulary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Offline training of a categorical (next-symbol) model from whole symbol sequences, one per key,
 * as {@code flink-lstm train --input-kind symbols} runs it.
 *
 * <p>Each key's last {@link TrainerConfig#validationFraction()} of symbols is held out (a key too
 * short to keep {@code burnIn + 2} symbols for training is trained on whole) and judged after the
 * {@code burnIn} symbols before it, as the job would judge it ({@link CategoricalEvaluator}). The
 * vocabulary is built from the training part ({@link VocabularyBuilder}) up to a bound; from a
 * parent, the parent's symbols keep their ids and the most frequent new ones are appended while
 * there is room, and the weights are carried over ({@link CategoricalInitializer#remap}). Training
 * is {@link CategoricalTrainer}. Besides the model's held-out cross-entropy the result gives two
 * yardsticks on the same symbols: log V (a uniform guess) and the cross-entropy of the training
 * part's symbol frequencies (add-one smoothed), which ignores order.
 */
public final class SymbolTraining {
  private final TrainerConfig trainer;
  private final CellType cell;
  private final int embeddingSize;
  private final int maxVocabulary;
  private final String unknownSymbol;
  private final int topG;

  /**
   * @param trainer window geometry, batch, steps, optimiser, seed and validation share; its hidden
   *     size and layers shape a fresh model
   * @param cell the recurrent cell of a fresh model
   * @param embeddingSize the embedding width of a fresh model
   * @param maxVocabulary the most ids a vocabulary may hold, the out-of-vocabulary one included
   * @param unknownSymbol the out-of-vocabulary symbol of a fresh vocabulary
   * @param topG g of the top-g rate reported
   */
  public SymbolTraining(
      TrainerConfig trainer,
      CellType cell,
      int embeddingSize,
      int maxVocabulary,
      String unknownSymbol,
      int topG) {
    this.trainer = Objects.requireNonNull(trainer, "trainer");
    this.cell = Objects.requireNonNull(cell, "cell");
    this.unknownSymbol = Objects.requireNonNull(unknownSymbol, "unknownSymbol");
    TrainerConfig.requireAtLeast("--embedding-size", embeddingSize, 1);
    TrainerConfig.requireAtLeast("--max-vocabulary", maxVocabulary, 2);
    TrainerConfig.requireAtLeast("--top-g", topG, 1);
    this.embeddingSize = embeddingSize;
    this.maxVocabulary = maxVocabulary;
    this.topG = topG;
  }

  /** One key's symbols, in time order. */
  public record Sequence(String key, List<String> symbols) {
    public Sequence {
      Objects.requireNonNull(key, "key");
      symbols = List.copyOf(symbols);
    }
  }

  /**
   * The outcome.
   *
   * @param model the trained model, its metrics set
   * @param trainingSymbols symbols trained on
   * @param trainLoss mean cross-entropy of the last tenth of the updates, in nats
   * @param skippedSteps updates skipped for a non-finite value
   * @param validation the model on the held-out symbols
   * @param parentValidation the parent on the same symbols through its own vocabulary; null without
   *     a parent
   * @param frequencyCrossEntropy the held-out cross-entropy of the training symbols' smoothed
   *     frequencies, in nats; NaN when nothing is held out
   */
  public record Result(
      CategoricalModel model,
      long trainingSymbols,
      double trainLoss,
      long skippedSteps,
      CategoricalEvaluator.Evaluation validation,
      CategoricalEvaluator.Evaluation parentValidation,
      double frequencyCrossEntropy) {

    /** log V of the model's vocabulary: the cross-entropy of a uniform guess. */
    public double uniformCrossEntropy() {
      return Math.log(model.vocabulary().size());
    }
  }

  /**
   * Trains a fresh model named {@code name} (version 1), or the next version of {@code parent}.
   *
   * @param parent the model to warm-start from, or null
   * @throws IllegalArgumentException if no sequence is long enough for one training window, or the
   *     data holds the out-of-vocabulary symbol itself
   */
  public Result train(
      List<Sequence> keys,
      String name,
      CategoricalModel parent,
      Instant created,
      TrainingListener listener)
      throws InterruptedException {
    List<List<String>> training = new ArrayList<>();
    List<List<String>> validation = new ArrayList<>();
    for (Sequence key : keys) {
      split(key.symbols(), trainer, training, validation);
    }
    VocabularyBuilder counts = new VocabularyBuilder();
    long trainingSymbols = 0;
    for (List<String> sequence : training) {
      sequence.forEach(counts::add);
      trainingSymbols += sequence.size();
    }
    if (counts.distinct() == 0) {
      throw new IllegalArgumentException("no symbols to train on");
    }
    String unknown = parent == null ? unknownSymbol : parent.vocabulary().unknownSymbol();
    CategoricalModel initial;
    if (parent == null) {
      initial =
          CategoricalInitializer.fresh(
              ModelInfo.first(name, created),
              counts.build(maxVocabulary, unknown),
              embeddingSize,
              cell,
              trainer.hiddenSize(),
              trainer.layers(),
              trainer.seed());
    } else {
      Vocabulary grown = grow(parent.vocabulary(), counts, maxVocabulary);
      initial =
          grown.equals(parent.vocabulary())
              ? parent
              : CategoricalInitializer.remap(parent, grown, parent.info());
    }
    Vocabulary vocabulary = initial.vocabulary();
    CategoricalTrainer.Result trained =
        new CategoricalTrainer(trainer).train(initial, ids(training, vocabulary), listener);
    CategoricalEvaluator.Evaluation held = evaluate(trained.model(), validation);
    CategoricalEvaluator.Evaluation parentHeld =
        parent == null ? null : evaluate(parent, validation);
    double frequency = frequencyCrossEntropy(training, validation, vocabulary);

    Map<String, Double> metrics = new LinkedHashMap<>();
    putFinite(metrics, "train_loss", trained.trainLoss());
    putFinite(metrics, "val_cross_entropy", held.crossEntropy());
    putFinite(metrics, "val_top_g_rate", held.topGRate());
    putFinite(metrics, "frequency_val_cross_entropy", frequency);
    metrics.put("training_symbols", (double) trainingSymbols);
    metrics.put("vocabulary_size", (double) vocabulary.size());
    ModelInfo info =
        parent == null
            ? new ModelInfo(name, 1, created, 0, metrics)
            : parent.info().next(created, metrics);
    return new Result(
        trained.model().withInfo(info),
        trainingSymbols,
        trained.trainLoss(),
        trained.skippedSteps(),
        held,
        parentHeld,
        frequency);
  }

  /** The symbols {@link #train} would train on: every key's, less what is held out. */
  public long trainingSymbols(List<Sequence> keys) {
    List<List<String>> training = new ArrayList<>();
    for (Sequence key : keys) {
      split(key.symbols(), trainer, training, new ArrayList<>());
    }
    return training.stream().mapToLong(List::size).sum();
  }

  /**
   * Splits one key's symbols in time: the last {@code validationFraction} held out, with {@code
   * burnIn} symbols of context before it; a key too short for that is trained on whole.
   */
  public static void split(
      List<String> sequence,
      TrainerConfig trainer,
      List<List<String>> training,
      List<List<String>> validation) {
    int n = sequence.size();
    int held = (int) Math.floor(n * trainer.validationFraction());
    if (held < 1 || n - held < trainer.burnIn() + 2) {
      training.add(sequence);
      return;
    }
    training.add(sequence.subList(0, n - held));
    validation.add(sequence.subList(Math.max(0, n - held - trainer.burnIn()), n));
  }

  /**
   * The parent's symbols and ids, then the most frequent new symbols of {@code counts} while the
   * vocabulary holds fewer than {@code maxVocabulary} ids; the parent itself when nothing is new.
   */
  public static Vocabulary grow(Vocabulary parent, VocabularyBuilder counts, int maxVocabulary) {
    Vocabulary ranked = counts.build(counts.distinct() + 1, parent.unknownSymbol());
    List<String> symbols = new ArrayList<>(parent.symbols());
    for (String s : ranked.symbols()) {
      if (symbols.size() >= maxVocabulary) {
        break;
      }
      if (parent.find(s) < 0 && !s.equals(ranked.unknownSymbol())) {
        symbols.add(s);
      }
    }
    return symbols.size() == parent.size()
        ? parent
        : new Vocabulary(symbols, parent.unknownSymbol());
  }

  private CategoricalEvaluator.Evaluation evaluate(
      CategoricalModel model, List<List<String>> sequences) {
    return CategoricalEvaluator.evaluate(
        model, ids(sequences, model.vocabulary()), trainer.burnIn(), topG);
  }

  /**
   * Mean −log p of the held-out symbols after the burn-in under the training symbols' frequencies
   * over the vocabulary's ids, each count plus one.
   */
  private double frequencyCrossEntropy(
      List<List<String>> training, List<List<String>> validation, Vocabulary vocabulary) {
    long[] counts = new long[vocabulary.size()];
    long total = 0;
    for (List<String> sequence : training) {
      for (String s : sequence) {
        counts[vocabulary.id(s)]++;
        total++;
      }
    }
    double sum = 0;
    long counted = 0;
    for (List<String> sequence : validation) {
      for (int t = trainer.burnIn(); t < sequence.size(); t++) {
        long c = counts[vocabulary.id(sequence.get(t))];
        sum -= Math.log((c + 1.0) / (total + vocabulary.size()));
        counted++;
      }
    }
    return counted == 0 ? Double.NaN : sum / counted;
  }

  private static List<int[]> ids(List<List<String>> sequences, Vocabulary vocabulary) {
    List<int[]> out = new ArrayList<>(sequences.size());
    for (List<String> sequence : sequences) {
      out.add(sequence.stream().mapToInt(vocabulary::id).toArray());
    }
    return out;
  }

  private static void putFinite(Map<String, Double> metrics, String name, double value) {
    if (Double.isFinite(value)) {
      metrics.put(name, value);
    }
  }
}
