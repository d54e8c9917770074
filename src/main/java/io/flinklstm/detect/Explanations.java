package io.flinklstm.detect;

import io.flinklstm.model.Vocabulary;

/**
 * What a score says about why an event surprised its model: for a numeric event, each value's share
 * of the squared error and the value that moved most against the prediction; for a symbol, the
 * symbols the model expected instead.
 */
public final class Explanations {
  /** How many expected symbols a symbol's score names. */
  public static final int EXPECTED_SYMBOLS = 3;

  private Explanations() {}

  /**
   * Each value's share of the squared error in the model's normalised units, (predicted_i −
   * actual_i)² / D, so that the shares sum to error² ({@link AnomalyDetector#predictionError}) to a
   * float's precision; a share beyond the largest float (a difference beyond 1.8e19 normalised
   * units) is held at it, so that every share is finite.
   *
   * @param predicted at least {@code size} values
   * @param actual at least {@code size} values
   */
  public static float[] contributions(float[] predicted, float[] actual, int size) {
    float[] shares = new float[size];
    for (int i = 0; i < size; i++) {
      double d = (double) predicted[i] - actual[i];
      shares[i] = (float) Math.min(d * d / size, Float.MAX_VALUE);
    }
    return shares;
  }

  /** The index of the largest share, the first of equal ones. */
  public static int topChannel(float[] contributions) {
    int top = 0;
    for (int i = 1; i < contributions.length; i++) {
      if (contributions[i] > contributions[top]) {
        top = i;
      }
    }
    return top;
  }

  /**
   * The model's most likely known symbols that {@link SymbolJudge} kept while judging, most likely
   * first, at most {@link #EXPECTED_SYMBOLS} of them.
   */
  public static String[] expectedSymbols(SymbolJudgement judgement, Vocabulary vocabulary) {
    String[] symbols = new String[judgement.expectedCount];
    for (int i = 0; i < symbols.length; i++) {
      symbols[i] = vocabulary.symbol(judgement.expected[i]);
    }
    return symbols;
  }
}
