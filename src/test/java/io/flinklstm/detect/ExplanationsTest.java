package io.flinklstm.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.flinklstm.model.Vocabulary;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExplanationsTest {
  @Test
  void sharesSumToTheSquaredErrorAndNameTheValueThatMovedMost() {
    float[] predicted = {0.5f, -1f, 2f, 0f};
    float[] actual = {0.5f, 1f, 2.5f, 0f};
    float[] shares = Explanations.contributions(predicted, actual, 4);
    // (0, 2, 0.5, 0) apart: 0, 4 / 4, 0.25 / 4, 0.
    assertThat(shares).containsExactly(0f, 1f, 0.0625f, 0f);
    assertThat(Explanations.topChannel(shares)).isEqualTo(1);
    double error = AnomalyDetector.predictionError(predicted, actual, 4);
    assertThat((double) shares[0] + shares[1] + shares[2] + shares[3])
        .isCloseTo(error * error, offset(1e-12));
  }

  @Test
  void sharesSumToTheSquaredErrorToAFloatsPrecisionAndStayFinite() {
    Random random = new Random(5);
    for (int trial = 0; trial < 1000; trial++) {
      int size = 1 + random.nextInt(8);
      float[] predicted = new float[size];
      float[] actual = new float[size];
      for (int i = 0; i < size; i++) {
        predicted[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(30) - 20));
        actual[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(30) - 20));
      }
      float[] shares = Explanations.contributions(predicted, actual, size);
      double sum = 0;
      for (float share : shares) {
        sum += share;
      }
      double error = AnomalyDetector.predictionError(predicted, actual, size);
      assertThat(sum).isCloseTo(error * error, offset(error * error * 1e-6));
    }
    // Differences too large for a float's square are held at the largest float.
    float[] huge = {Float.MAX_VALUE, -Float.MAX_VALUE};
    float[] shares = Explanations.contributions(huge, new float[] {-Float.MAX_VALUE, 0f}, 2);
    assertThat(shares).containsExactly(Float.MAX_VALUE, Float.MAX_VALUE);
  }

  @Test
  void theFirstOfEqualSharesIsTheTopChannel() {
    assertThat(Explanations.topChannel(new float[] {0, 3, 3})).isEqualTo(1);
    assertThat(Explanations.topChannel(new float[] {0, 0})).isZero();
  }

  @Test
  void expectedSymbolsAreTheMostLikelyKnownOnesInOrder() {
    Vocabulary vocabulary =
        new Vocabulary(
            List.of(Vocabulary.DEFAULT_UNKNOWN, "a", "b", "c", "d", "e"),
            Vocabulary.DEFAULT_UNKNOWN);
    float[] logProbs = {-0.1f, -3f, -1f, -2f, -1f, -5f};
    // The unknown symbol is the most likely but never expected; b and d tie, b has the lower id.
    assertThat(expected(logProbs, vocabulary)).containsExactly("b", "d", "c");
  }

  @Test
  void aSmallVocabularyNamesWhatItHas() {
    Vocabulary vocabulary =
        new Vocabulary(List.of(Vocabulary.DEFAULT_UNKNOWN, "x", "y"), Vocabulary.DEFAULT_UNKNOWN);
    assertThat(expected(new float[] {-1f, -2f, -0.5f}, vocabulary)).containsExactly("y", "x");
  }

  /** What a symbol's score names as expected, judged as the job judges it. */
  private static String[] expected(float[] logProbs, Vocabulary vocabulary) {
    SymbolJudgement judgement = new SymbolJudgement();
    new SymbolJudge(1).judge(logProbs, vocabulary, 1, judgement);
    return Explanations.expectedSymbols(judgement, vocabulary);
  }
}
