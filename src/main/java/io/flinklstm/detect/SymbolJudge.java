package io.flinklstm.detect;

import io.flinklstm.model.Vocabulary;

/**
 * Judges the symbols of a categorical stream against a next-symbol model's prediction, as DeepLog
 * does (Du et al., "DeepLog: Anomaly Detection and Diagnosis from System Logs through Deep
 * Learning", CCS 2017): a symbol is normal when it is among the g most likely candidates, an
 * anomaly otherwise. A symbol outside the vocabulary is an anomaly of its own kind ({@link
 * SymbolVerdict#UNKNOWN}), never an error; the model scores and is fed the out-of-vocabulary id in
 * its place.
 *
 * <p>The surprise −log p(symbol) is the categorical counterpart of a numeric model's prediction
 * error: fed to {@link AnomalyDetector#score} as the error, it goes through the same per-key
 * statistics to a raw score and an anomaly likelihood.
 *
 * <p>The rank is counted, not sorted: one pass over the V log-probabilities, ties counted in the
 * symbol's favour; the same pass keeps the most likely known symbols, which a score names as
 * expected ({@link Explanations#expectedSymbols}). Allocation-free; thread-safe (it holds only g).
 */
public final class SymbolJudge {
  private final int topG;

  /**
   * @param topG how many of the most likely symbols count as expected, at least 1
   * @throws IllegalArgumentException naming the option if g is below 1
   */
  public SymbolJudge(int topG) {
    if (topG < 1) {
      throw new IllegalArgumentException("--top-g must be at least 1, was " + topG);
    }
    this.topG = topG;
  }

  /**
   * Judges one symbol.
   *
   * @param logProbs log p of every id in [0, V), the prediction made before the symbol came
   * @param vocabulary the model's vocabulary
   * @param symbol the symbol that came
   * @param out overwritten with the judgement
   */
  public void judge(float[] logProbs, Vocabulary vocabulary, String symbol, SymbolJudgement out) {
    judge(logProbs, vocabulary, vocabulary.find(symbol), out);
  }

  /**
   * As {@link #judge(float[], Vocabulary, String, SymbolJudgement)} for a symbol already looked up
   * with {@link Vocabulary#find}.
   *
   * @param found the symbol's id, or -1 if it is not in the vocabulary
   */
  public void judge(float[] logProbs, Vocabulary vocabulary, int found, SymbolJudgement out) {
    int id = found < 0 ? vocabulary.unknownId() : found;
    int unknown = vocabulary.unknownId();
    float logp = logProbs[id];
    int rank = 0;
    int[] top = out.expected;
    int n = 0;
    for (int s = 0; s < vocabulary.size(); s++) {
      if (logProbs[s] > logp) {
        rank++;
      }
      if (s != unknown) {
        // Insertion into the most likely known ids so far: later ids go after equal ones.
        int at = n < top.length ? n++ : top.length;
        while (at > 0 && logProbs[s] > logProbs[top[at - 1]]) {
          if (at < top.length) {
            top[at] = top[at - 1];
          }
          at--;
        }
        if (at < top.length) {
          top[at] = s;
        }
      }
    }
    out.expectedCount = n;
    out.symbolId = id;
    out.surprise = Math.max(0.0, -(double) logp);
    out.rank = rank;
    if (found < 0) {
      out.verdict = SymbolVerdict.UNKNOWN;
    } else {
      out.verdict = rank < topG ? SymbolVerdict.EXPECTED : SymbolVerdict.NOT_IN_TOP_G;
    }
  }
}
