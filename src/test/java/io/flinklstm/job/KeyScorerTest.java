package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scorer as plain logic over key states, and the step strategies it is built with. */
class KeyScorerTest {
  private static final String MODEL = "default";
  private static final long BEGINNING = 1_700_000_000_000L;
  private static final LstmModel V1 = TestModels.model(MODEL, 1, 2, 8, 1);
  private static final ScoringConfig CONFIG =
      ScoringConfig.builder(MODEL).coldStart(ColdStartPolicy.BUFFER, 1000).build();
  private static final int KEYS = BatchedSteps.MAX_BATCH + 7;
  private static final int STEPS = 12;

  /** Steps taken by {@link #COUNTING}; static, as an operator's kernel must be serializable. */
  private static final AtomicInteger STEPPED = new AtomicInteger();

  private static final StepKernel COUNTING =
      (stepper, states, inputs, n) -> {
        STEPPED.addAndGet(n);
        StepKernel.MODEL.advance(stepper, states, inputs, n);
      };

  @Test
  void stepsTakenAtOnceScoreExactlyAsTheOperatorsBatchedSteps() throws Exception {
    KeyScorer scorer = new KeyScorer(CONFIG, KeySteps.immediate(StepKernel.MODEL));
    ServedModel served = new ServedModel(V1);
    Map<String, KeyState> states = new HashMap<>();
    List<ScoreRecord> immediate = new ArrayList<>();
    for (int i = 0; i < STEPS; i++) {
      for (int k = 0; k < KEYS; k++) {
        Event e = event(k, i);
        immediate.add(scorer.score(e, states.computeIfAbsent(e.key, x -> new KeyState()), served));
      }
    }

    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      for (int i = 0; i < STEPS; i++) {
        for (int k = 0; k < KEYS; k++) {
          h.event(event(k, i));
        }
      }
      assertThat(h.scores()).containsExactlyElementsOf(immediate);
    }
  }

  @Test
  void theOperatorStepsKeysWithTheKernelItIsGiven() throws Exception {
    STEPPED.set(0);
    try (ScoringHarness h = ScoringHarness.withKernel(CONFIG, COUNTING)) {
      h.model(ModelFile.write(V1));
      for (int i = 0; i < STEPS; i++) {
        for (int k = 0; k < KEYS; k++) {
          h.event(event(k, i));
        }
      }
      h.operator.flushSteps();
      assertThat(STEPPED.get()).isEqualTo(STEPS * KEYS);
      assertThat(h.scores()).hasSize(STEPS * KEYS);
    }
  }

  @Test
  void everyNumericScoreSharesItsErrorAmongTheValues() throws Exception {
    LstmModel twoValues = TestModels.model(MODEL, 1, 2, 8, 3);
    KeyScorer scorer = new KeyScorer(CONFIG, KeySteps.immediate(StepKernel.MODEL));
    ServedModel served = new ServedModel(twoValues);
    KeyState state = new KeyState();
    for (int t = 0; t < 40; t++) {
      // The second value jumps at t = 30; the first goes on as before.
      float second = t == 30 ? 40f : (float) Math.cos(0.2 * t);
      Event e =
          new Event(
              "k", BEGINNING + t * 60_000L, new float[] {(float) Math.sin(0.2 * t), second}, MODEL);
      ScoreRecord s = scorer.score(e, state, served);
      assertThat(s.contributions).hasSize(2);
      assertThat((double) s.contributions[0] + s.contributions[1])
          .isCloseTo(s.error * s.error, within(1e-12 + s.error * s.error * 1e-6));
      assertThat(s.topChannel).isEqualTo(s.contributions[1] > s.contributions[0] ? 1 : 0);
      if (t == 30) {
        assertThat(s.topChannel).isEqualTo(1);
        assertThat(s.contributions[1]).isGreaterThan(100 * s.contributions[0]);
      }
    }
  }

  @Test
  void scoresWithoutExplanationsAreTheSameScoresWithoutThem() throws Exception {
    LstmModel twoValues = TestModels.model(MODEL, 1, 2, 8, 3);
    ScoringConfig plain = CONFIG.toBuilder().explanations(false).build();
    KeyScorer explaining = new KeyScorer(CONFIG, KeySteps.immediate(StepKernel.MODEL));
    KeyScorer terse = new KeyScorer(plain, KeySteps.immediate(StepKernel.MODEL));
    ServedModel a = new ServedModel(twoValues);
    ServedModel b = new ServedModel(twoValues);
    KeyState first = new KeyState();
    KeyState second = new KeyState();
    for (int t = 0; t < 20; t++) {
      float[] values = {(float) Math.sin(0.2 * t), (float) Math.cos(0.2 * t)};
      ScoreRecord full =
          explaining.score(new Event("k", BEGINNING + t * 60_000L, values, MODEL), first, a);
      ScoreRecord bare =
          terse.score(new Event("k", BEGINNING + t * 60_000L, values, MODEL), second, b);
      assertThat(bare.contributions).isNull();
      assertThat(bare.topChannel).isNull();
      full.contributions = null;
      full.topChannel = null;
      assertThat(bare).isEqualTo(full);
    }
  }

  private static Event event(int key, int t) {
    double a = 0.3 * (t + key);
    return new Event(
        "k" + key,
        BEGINNING + t * 60_000L,
        new float[] {(float) Math.sin(a), (float) (0.5 * Math.cos(a) + 1)},
        null);
  }
}
