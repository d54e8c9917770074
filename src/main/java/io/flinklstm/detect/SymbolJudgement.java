package io.flinklstm.detect;

/**
 * The outcome of judging one symbol; a reusable holder, overwritten by each {@link
 * SymbolJudge#judge} call.
 */
public final class SymbolJudgement {
  /**
   * The id the model scored and is fed: the symbol's own, or the out-of-vocabulary id for an
   * unknown symbol.
   */
  public int symbolId;

  /** −log p(symbolId) under the prediction made before the symbol came, in nats, ≥ 0. */
  public double surprise;

  /** How many ids the model found strictly more likely: 0 for its top prediction. */
  public int rank;

  /**
   * The verdict of the top-g rule, {@link SymbolVerdict#UNKNOWN} for a symbol outside the
   * vocabulary.
   */
  public SymbolVerdict verdict;

  /**
   * The ids of the model's most likely known symbols, most likely first (the lower id first among
   * equals), in the first {@link #expectedCount} places; the out-of-vocabulary id is never one.
   */
  public final int[] expected = new int[Explanations.EXPECTED_SYMBOLS];

  /** How many of {@link #expected} are set: the known symbols, at most its length. */
  public int expectedCount;

  /** Whether the verdict is an anomaly: not in the top g, or unknown. */
  public boolean anomalous() {
    return verdict != SymbolVerdict.EXPECTED;
  }
}
