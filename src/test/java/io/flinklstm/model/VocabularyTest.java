package io.flinklstm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.bptt.CategoricalGradientCheckTest;
import io.flinklstm.model.kernel.SymbolStepper;
import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {
  private static final Vocabulary LOG_KEYS =
      new Vocabulary(List.of("open", "<unk>", "read", "close"), "<unk>");

  @Test
  void idsArePositionsAndUnknownSymbolsMapToTheReservedId() {
    assertThat(LOG_KEYS.size()).isEqualTo(4);
    assertThat(LOG_KEYS.unknownId()).isEqualTo(1);
    assertThat(LOG_KEYS.id("read")).isEqualTo(2);
    assertThat(LOG_KEYS.symbol(3)).isEqualTo("close");
    assertThat(LOG_KEYS.id("write")).isEqualTo(1);
    assertThat(LOG_KEYS.find("write")).isEqualTo(-1);
    assertThat(LOG_KEYS.find("open")).isZero();
  }

  @Test
  void refusesDuplicatesEmptySymbolsAndAMissingUnknownEntry() {
    assertThatThrownBy(() -> new Vocabulary(List.of("<unk>", "a", "b", "a"), "<unk>"))
        .hasMessageContaining("'a' is listed twice, as ids 1 and 3");
    assertThatThrownBy(() -> new Vocabulary(List.of("<unk>", ""), "<unk>"))
        .hasMessageContaining("symbol 1 is the empty string");
    assertThatThrownBy(() -> new Vocabulary(List.of("a", "b"), "<unk>"))
        .hasMessageContaining("out-of-vocabulary symbol '<unk>' is not in the list");
    assertThatThrownBy(() -> new Vocabulary(List.of("<unk>"), "<unk>"))
        .hasMessageContaining("at least one symbol besides");
  }

  @Test
  void aModelRefusesSizesThatDoNotChain() {
    float[][] embedding = new float[3][2];
    RnnLayer rnn = new RnnLayer(new float[2][4], new float[4][4], new float[4], Activation.TANH);
    Vocabulary three = new Vocabulary(List.of("<unk>", "a", "b"), "<unk>");
    ModelInfo info = ModelInfo.first("m", java.time.Instant.EPOCH);
    assertThatThrownBy(
            () ->
                new CategoricalModel(
                    info,
                    three,
                    new Embedding(embedding),
                    List.of(rnn),
                    new DenseLayer(new float[4][5], new float[5])))
        .hasMessageContaining("the softmax head has 5 classes but the vocabulary 3");
    assertThatThrownBy(
            () ->
                new CategoricalModel(
                    info,
                    LOG_KEYS,
                    new Embedding(embedding),
                    List.of(rnn),
                    new DenseLayer(new float[4][4], new float[4])))
        .hasMessageContaining("the embedding has 3 rows but the vocabulary 4");
    assertThatThrownBy(
            () ->
                new CategoricalModel(
                    info,
                    three,
                    new Embedding(new float[3][5]),
                    List.of(rnn),
                    new DenseLayer(new float[4][3], new float[3])))
        .hasMessageContaining("layer 0 takes 2 inputs but receives 5 (the embedding size)");
  }

  @Test
  void stepperProbabilitiesSumToOne() {
    CategoricalModel model =
        CategoricalGradientCheckTest.model(
            new java.util.Random(3),
            CategoricalGradientCheckTest.rnn(new java.util.Random(4), 3, 4, Activation.TANH));
    SymbolStepper stepper = SymbolStepper.of(model);
    LstmState state = model.newState();
    for (int symbol : new int[] {0, 5, 2, 2, 1}) {
      float[] logp = stepper.step(state, symbol);
      double total = 0;
      for (int s = 0; s < model.vocabulary().size(); s++) {
        total += Math.exp(logp[s]);
      }
      assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
    assertThatThrownBy(() -> stepper.advance(state, 6))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
