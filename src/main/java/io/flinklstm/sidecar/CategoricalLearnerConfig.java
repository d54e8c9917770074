package io.flinklstm.sidecar;

import io.flinklstm.model.CellType;
import io.flinklstm.train.TrainerConfig;
import java.util.Objects;

/**
 * How the sidecar learns a categorical (next-symbol) model; checked when built, with messages that
 * name the options.
 *
 * @param trainer window geometry, batch, steps per round, optimiser, seed and validation share; its
 *     hidden size and layers shape a model trained from scratch
 * @param cell the recurrent cell of a model trained from scratch
 * @param embeddingSize E, the embedding width of a model trained from scratch
 * @param maxVocabulary the most ids a vocabulary may hold, the out-of-vocabulary one included
 * @param unknownSymbol the out-of-vocabulary symbol of a fresh vocabulary
 * @param symbolsPerKey most recent symbols kept per key for training
 * @param maxStoredSymbols bound on stored symbols over all keys
 * @param gateMargin publish when the held-out cross-entropy is at most (1 + margin) × the current
 *     model's
 * @param topG g of the top-g rate reported with each round
 */
public record CategoricalLearnerConfig(
    TrainerConfig trainer,
    CellType cell,
    int embeddingSize,
    int maxVocabulary,
    String unknownSymbol,
    int symbolsPerKey,
    long maxStoredSymbols,
    double gateMargin,
    int topG) {

  public CategoricalLearnerConfig {
    Objects.requireNonNull(trainer, "trainer");
    Objects.requireNonNull(cell, "--cell");
    Objects.requireNonNull(unknownSymbol, "unknownSymbol");
    if (embeddingSize < 1) {
      throw new IllegalArgumentException(
          "--embedding-size must be at least 1, was " + embeddingSize);
    }
    if (maxVocabulary < 2) {
      throw new IllegalArgumentException(
          "--max-vocabulary must be at least 2 (one symbol and the out-of-vocabulary one), was "
              + maxVocabulary);
    }
    if (!(gateMargin >= 0) || Double.isInfinite(gateMargin)) {
      throw new IllegalArgumentException(
          "--gate-margin must be a finite number >= 0, was " + gateMargin);
    }
    if (topG < 1) {
      throw new IllegalArgumentException("--top-g must be at least 1, was " + topG);
    }
    if (trainer.backend() != TrainerConfig.Backend.KERNELS) {
      throw new IllegalArgumentException(
          "--backend " + trainer.backend() + " trains numeric models only; use KERNELS");
    }
  }
}
