package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.ScoreRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every number in a score is finite, for every dimension the job accepts (1 to {@link
 * io.flinklstm.wire.EventCodec#DEFAULT_MAX_VALUES}) and values from the smallest to the largest a
 * float holds, with the model scaling per key or by its own normalisation. An event no score could
 * be written for goes to dead letters, and its key goes on scoring.
 */
class ScoreFinitenessTest {
  private static final String MODEL = "default";
  private static final long BEGINNING = 1_700_000_000_000L;
  private static final int NOISE = 300;
  private static final int AFTER = 20;
  private static final ScoringConfig CONFIG =
      ScoringConfig.builder(MODEL).coldStart(ColdStartPolicy.BUFFER, 1000).build();

  @ParameterizedTest(name = "dimension {0}, magnitude {1}, per-key scaling {2}")
  @CsvSource({
    "1, 1, true",
    "1, 1e-30, true",
    "1, 1e30, false",
    "38, 1, true",
    "700, 1, true",
    "700, 1, false",
    "1024, 1, true",
    "1024, 1, false",
    "1024, 1e-30, false",
    "1024, 1e20, true",
    "1024, 1e20, false",
    "1024, 3e38, true",
    "1024, 3e38, false",
    "4096, 1, true",
    "4096, 1, false",
    "4096, 1e-38, true",
    "4096, 3e38, true",
    "4096, 3e38, false",
  })
  void everyScoreIsFiniteAndTheKeyKeepsScoring(int dimension, double magnitude, boolean perKey)
      throws Exception {
    LstmModel model = TestModels.model(MODEL, 1, dimension, 4, dimension);
    if (perKey) {
      model = model.withScaling(InputScaling.DEFAULT);
    }
    Random random = new Random(dimension);
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(model));
      int t = 0;
      for (; t < NOISE; t++) {
        h.event("k", BEGINNING + t * 60_000L, noise(random, dimension, magnitude));
      }
      float[] spike = noise(random, dimension, magnitude);
      for (int i = 0; i < dimension; i++) {
        spike[i] = clampToFloat(spike[i] + 8 * magnitude);
      }
      h.event("k", BEGINNING + t++ * 60_000L, spike);
      for (int i = 0; i < AFTER; i++, t++) {
        h.event("k", BEGINNING + t * 60_000L, noise(random, dimension, magnitude));
      }

      List<ScoreRecord> scores = h.scores();
      List<DeadLetter> dead = h.deadLetters();
      assertThat(scores.size() + dead.size()).isEqualTo(NOISE + 1 + AFTER);
      assertThat(dead).allSatisfy(d -> assertThat(d.reason).isEqualTo("non_finite_score"));
      for (ScoreRecord s : scores) {
        assertThat(s.error).isFinite();
        assertThat(s.rawScore).isFinite();
        assertThat(s.likelihood).isFinite().isBetween(0.0, 1.0);
        assertThat(s.logLikelihood).isFinite();
        assertThat(s.confidence).isFinite();
        for (float p : s.prediction) {
          assertThat(p).isFinite();
        }
        assertThat(s.contributions).hasSize(s.values.length);
        for (float c : s.contributions) {
          assertThat(c).isFinite().isNotNegative();
        }
      }
      // The key was not silenced: the events after the spike were scored.
      assertThat(scores.get(scores.size() - 1).ts).isEqualTo(BEGINNING + (t - 1) * 60_000L);
      if (magnitude <= 1e20) {
        ScoreRecord spiked =
            scores.stream().filter(s -> s.ts == BEGINNING + NOISE * 60_000L).findFirst().get();
        assertThat(spiked.anomaly).as("a shift of 80 standard deviations is flagged").isTrue();
      }
    }
  }

  @Test
  void anEventBeyondTheModelsUnitsGoesToDeadLettersAndTheKeyScoresTheNext() throws Exception {
    // A normalisation of std 1e-30: a value of 1e10 is 1e40 in the model's units, beyond a float.
    LstmModel model = withNormalizer(TestModels.model(MODEL, 1, 2, 4, 1), 0f, 1e-30f);
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(model));
      h.event("k", BEGINNING, 1e-31f, 0f);
      h.event("k", BEGINNING + 60_000L, 1e10f, 0f);
      h.event("k", BEGINNING + 120_000L, -1e-31f, 0f);

      assertThat(h.deadLetters())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.reason).isEqualTo("non_finite_score");
                assertThat(d.message).contains("value 0 overflows");
              });
      assertThat(h.scores()).extracting(s -> s.ts).containsExactly(BEGINNING, BEGINNING + 120_000L);
      assertThat(h.state("k").seen).isEqualTo(2);
    }
  }

  @Test
  void aPredictionBeyondAFloatGoesToDeadLettersUntilABetterModelComes() throws Exception {
    // A std of 3e38 and a head biased to predict about 10 in normalised units: 3e39 in the key's.
    LstmModel base = TestModels.model(MODEL, 1, 2, 4, 7);
    float[] bias = {10f, 10f};
    LstmModel overflowing =
        withNormalizer(
            new LstmModel(
                base.info(),
                base.normalizer(),
                base.layers(),
                new DenseLayer(base.head().weights(), bias)),
            0f,
            3e38f);
    LstmModel sane = TestModels.model(MODEL, 2, 2, 4, 7);
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(overflowing));
      for (int t = 0; t < 20; t++) {
        h.event("k", BEGINNING + t * 60_000L, (float) Math.sin(t), 1f);
      }
      assertThat(h.deadLetters())
          .isNotEmpty()
          .allSatisfy(
              d -> {
                assertThat(d.reason).isEqualTo("non_finite_score");
                assertThat(d.message).contains("prediction");
              });
      assertThat(h.scores().size() + h.deadLetters().size()).isEqualTo(20);
      h.model(ModelFile.write(sane));
      h.event("k", BEGINNING + 20 * 60_000L, 0f, 1f);
      ScoreRecord last = h.scores().get(h.scores().size() - 1);
      assertThat(last.modelVersion).isEqualTo(2);
      assertThat(last.error).isFinite();
    }
  }

  private static LstmModel withNormalizer(LstmModel model, float mean, float std) {
    int d = model.inputSize();
    float[] means = new float[d];
    float[] stds = new float[d];
    Arrays.fill(means, mean);
    Arrays.fill(stds, std);
    return new LstmModel(model.info(), new Normalizer(means, stds), model.layers(), model.head());
  }

  /** N(0, 0.1) scaled by the magnitude. */
  private static float[] noise(Random random, int dimension, double magnitude) {
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = clampToFloat(0.1 * random.nextGaussian() * magnitude);
    }
    return v;
  }

  private static float clampToFloat(double v) {
    return (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, v));
  }
}
