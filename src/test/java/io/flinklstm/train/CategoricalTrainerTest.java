package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.kernel.SymbolStepper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CategoricalTrainerTest {
  /** A per-host cycle of log keys, as a deterministic state machine emits them. */
  private static final List<String> CYCLE = List.of("open", "read", "read", "write", "close");

  private static final TrainerConfig CONFIG =
      TrainerConfig.builder()
          .window(10)
          .burnIn(5)
          .batchSize(8)
          .steps(300)
          .learningRate(0.02)
          .seed(7)
          .build();

  @ParameterizedTest
  @EnumSource(CellType.class)
  void learnsADeterministicCycleToNearZeroLoss(CellType cell) throws Exception {
    VocabularyBuilder counts = new VocabularyBuilder();
    List<String> events = new ArrayList<>();
    for (int t = 0; t < 200; t++) {
      events.add(CYCLE.get(t % CYCLE.size()));
    }
    events.forEach(counts::add);
    Vocabulary vocabulary = counts.build(10, Vocabulary.DEFAULT_UNKNOWN);
    int[] ids = events.stream().mapToInt(vocabulary::id).toArray();
    CategoricalModel fresh =
        CategoricalInitializer.fresh(
            ModelInfo.first("cycle", Instant.EPOCH), vocabulary, 4, cell, 16, 1, 3);
    List<Double> losses = new ArrayList<>();

    CategoricalTrainer.Result result =
        new CategoricalTrainer(CONFIG).train(fresh, List.of(ids), p -> losses.add(p.loss()));

    // "read" is followed by "read" or "write": only the state tells which, so the model must use
    // it.
    assertThat(losses.get(0)).isGreaterThan(1.0);
    assertThat(result.trainLoss()).isLessThan(0.05);
    assertThat(result.skippedSteps()).isZero();
    CategoricalEvaluator.Evaluation held =
        CategoricalEvaluator.evaluate(result.model(), List.of(ids), 5, 1);
    assertThat(held.counted()).isEqualTo(ids.length - 5);
    assertThat(held.topGRate()).isEqualTo(1.0);
    assertThat(held.crossEntropy()).isLessThan(0.05);
    CategoricalEvaluator.Evaluation before =
        CategoricalEvaluator.evaluate(fresh, List.of(ids), 5, 1);
    assertThat(before.crossEntropy()).isGreaterThan(1.0);
    SymbolStepper stepper = SymbolStepper.of(result.model());
    LstmState state = result.model().newState();
    for (int t = 0; t < 20; t++) {
      float[] logp = stepper.step(state, vocabulary.id(CYCLE.get(t % CYCLE.size())));
      if (t >= 5) {
        int next = vocabulary.id(CYCLE.get((t + 1) % CYCLE.size()));
        assertThat(Math.exp(logp[next])).as("p(next) at %d", t).isGreaterThan(0.9);
      }
    }
  }

  @Test
  void aGrownVocabularyKeepsWhatTheParentKnew() {
    Vocabulary small = new Vocabulary(List.of("<unk>", "open", "close"), "<unk>");
    Vocabulary grown = new Vocabulary(List.of("<unk>", "close", "read", "open"), "<unk>");
    CategoricalModel parent =
        CategoricalInitializer.fresh(
            ModelInfo.first("grow", Instant.EPOCH), small, 3, CellType.LSTM, 5, 1, 9);

    CategoricalModel child =
        CategoricalInitializer.remap(parent, grown, parent.info().next(Instant.EPOCH, Map.of()));

    float[] before = SymbolStepper.of(parent).step(parent.newState(), small.id("open")).clone();
    float[] after = SymbolStepper.of(child).step(child.newState(), grown.id("open"));
    // The logits of open, close and <unk> are the parent's; "read" starts as the parent's <unk>.
    float[] parentLogits =
        SymbolStepper.of(parent).logits(stepped(parent, small.id("open"))).clone();
    float[] childLogits = SymbolStepper.of(child).logits(stepped(child, grown.id("open")));
    assertThat(childLogits[grown.id("open")]).isEqualTo(parentLogits[small.id("open")]);
    assertThat(childLogits[grown.id("close")]).isEqualTo(parentLogits[small.id("close")]);
    assertThat(childLogits[grown.id("read")]).isEqualTo(parentLogits[small.unknownId()]);
    assertThat(childLogits[grown.unknownId()]).isEqualTo(parentLogits[small.unknownId()]);
    assertThat(after[grown.id("open")]).isLessThan(before[small.id("open")]);
    assertThat(child.embedding().rows()[grown.id("read")])
        .containsExactly(parent.embedding().rows()[small.unknownId()]);
  }

  private static LstmState stepped(CategoricalModel model, int symbol) {
    LstmState state = model.newState();
    SymbolStepper.of(model).advance(state, symbol);
    return state;
  }

  @Test
  void vocabulariesKeepTheMostFrequentSymbolsUpToTheBound() {
    VocabularyBuilder counts = new VocabularyBuilder();
    for (String s : List.of("a", "b", "b", "c", "c", "c", "d", "e", "e")) {
      counts.add(s);
    }

    Vocabulary vocabulary = counts.build(4, "<unk>");

    assertThat(vocabulary.symbols()).containsExactly("<unk>", "c", "b", "e");
    assertThat(vocabulary.id("a")).isEqualTo(vocabulary.unknownId());
    assertThatThrownBy(() -> counts.build(1, "<unk>")).hasMessageContaining("vocabulary size");
    counts.add("<unk>");
    assertThatThrownBy(() -> counts.build(4, "<unk>"))
        .hasMessageContaining("holds the out-of-vocabulary symbol '<unk>' itself");
  }

  @Test
  void sequencesShorterThanAWindowAreRefused() {
    Vocabulary vocabulary = new Vocabulary(List.of("<unk>", "a"), "<unk>");
    CategoricalModel fresh =
        CategoricalInitializer.fresh(
            ModelInfo.first("short", Instant.EPOCH), vocabulary, 2, CellType.RNN, 4, 1, 1);

    assertThatThrownBy(
            () ->
                new CategoricalTrainer(CONFIG)
                    .train(fresh, List.of(new int[15]), TrainingListener.NONE))
        .hasMessage("no sequence holds a window: one needs burn-in + window + 1 = 16 symbols");
  }
}
