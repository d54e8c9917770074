package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.Vocabulary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymbolTrainingTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private static final int KEYS = 3;
  private static final int SYMBOLS_PER_KEY = 800;

  private static final TrainerConfig CONFIG =
      TrainerConfig.builder()
          .hiddenSize(16)
          .window(16)
          .burnIn(8)
          .batchSize(16)
          .steps(400)
          .learningRate(0.01)
          .validationFraction(0.2)
          .seed(3)
          .build();

  /**
   * Sessions of a small state machine: open, auth, one to three of read or write, close; between
   * sessions zero to two heartbeats. Given the state, the next symbol is one of at most three.
   */
  static List<SymbolTraining.Sequence> sessions(long seed, String... extra) {
    SplittableRandom random = new SplittableRandom(seed);
    List<SymbolTraining.Sequence> keys = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      List<String> s = new ArrayList<>();
      while (s.size() < SYMBOLS_PER_KEY) {
        for (int h = random.nextInt(3); h > 0; h--) {
          s.add("heartbeat");
        }
        s.add("open");
        s.add("auth");
        for (int r = 1 + random.nextInt(3); r > 0; r--) {
          s.add(random.nextBoolean() ? "read" : "write");
        }
        s.add("close");
        if (extra.length > 0 && random.nextInt(4) == 0) {
          s.add(extra[random.nextInt(extra.length)]);
        }
      }
      keys.add(new SymbolTraining.Sequence("host-" + k, s.subList(0, SYMBOLS_PER_KEY)));
    }
    return keys;
  }

  private static SymbolTraining training(int maxVocabulary) {
    return new SymbolTraining(
        CONFIG, CellType.LSTM, 4, maxVocabulary, Vocabulary.DEFAULT_UNKNOWN, 3);
  }

  @Test
  void learnsTheStateMachineFarBelowAUniformGuessAndTheFrequencies() throws Exception {
    SymbolTraining.Result r =
        training(100).train(sessions(1), "sessions", null, CREATED, TrainingListener.NONE);

    CategoricalModel model = r.model();
    assertThat(model.vocabulary().symbols())
        .containsExactlyInAnyOrder("<unk>", "heartbeat", "open", "auth", "read", "write", "close");
    assertThat(model.info().version()).isEqualTo(1);
    assertThat(model.info().parentVersion()).isZero();
    assertThat(r.trainingSymbols()).isEqualTo(KEYS * (SYMBOLS_PER_KEY - SYMBOLS_PER_KEY / 5));
    assertThat(r.validation().counted()).isEqualTo(KEYS * SYMBOLS_PER_KEY / 5);
    double logV = Math.log(7);
    assertThat(r.uniformCrossEntropy()).isEqualTo(logV);
    // Order carries most of the information: after open comes auth, after auth a read or write.
    assertThat(r.frequencyCrossEntropy()).isGreaterThan(0.8 * logV);
    assertThat(r.validation().crossEntropy())
        .isLessThan(0.5 * logV)
        .isLessThan(0.6 * r.frequencyCrossEntropy());
    assertThat(r.validation().topGRate()).isEqualTo(1.0);
    assertThat(model.info().metrics())
        .containsKeys("train_loss", "val_cross_entropy", "frequency_val_cross_entropy");
    assertThat(model.info().metrics().get("val_cross_entropy"))
        .isEqualTo(r.validation().crossEntropy());
  }

  @Test
  void aWarmStartGrowsTheParentsVocabularyAndContinuesItsVersions() throws Exception {
    SymbolTraining.Result first =
        training(100).train(sessions(1), "sessions", null, CREATED, TrainingListener.NONE);
    CategoricalModel parent = first.model();

    SymbolTraining.Result next =
        training(100)
            .train(
                sessions(2, "retry", "timeout"),
                "ignored",
                parent,
                CREATED.plusSeconds(60),
                TrainingListener.NONE);

    Vocabulary grown = next.model().vocabulary();
    assertThat(grown.symbols().subList(0, parent.vocabulary().size()))
        .isEqualTo(parent.vocabulary().symbols());
    assertThat(grown.symbols()).contains("retry", "timeout").hasSize(9);
    assertThat(next.model().info().name()).isEqualTo("sessions");
    assertThat(next.model().info().version()).isEqualTo(2);
    assertThat(next.model().info().parentVersion()).isEqualTo(1);
    assertThat(next.parentValidation().counted()).isEqualTo(next.validation().counted());
    // The parent never saw the new symbols and gives them its out-of-vocabulary probability.
    assertThat(next.validation().crossEntropy()).isLessThan(next.parentValidation().crossEntropy());
  }

  @Test
  void theVocabularyBoundLeavesTheRarestSymbolsOutOfVocabulary() throws Exception {
    SymbolTraining.Result r =
        training(4).train(sessions(1), "small", null, CREATED, TrainingListener.NONE);

    assertThat(r.model().vocabulary().size()).isEqualTo(4);
    assertThat(r.model().vocabulary().symbols()).startsWith("<unk>").doesNotContain("heartbeat");
  }

  @Test
  void refusesDataWithoutAWindowAndDataHoldingTheUnknownSymbol() {
    List<SymbolTraining.Sequence> tiny =
        List.of(new SymbolTraining.Sequence("a", List.of("x", "y", "x")));
    assertThatThrownBy(() -> training(10).train(tiny, "t", null, CREATED, TrainingListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no sequence holds a window");
    List<SymbolTraining.Sequence> unk =
        List.of(new SymbolTraining.Sequence("a", List.of("x", "<unk>", "x")));
    assertThatThrownBy(() -> training(10).train(unk, "t", null, CREATED, TrainingListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out-of-vocabulary symbol '<unk>'");
  }
}
