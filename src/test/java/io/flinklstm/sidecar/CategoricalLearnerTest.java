package io.flinklstm.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.train.TrainerConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sidecar's categorical learner: vocabulary per version, warm start, the gate. */
class CategoricalLearnerTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final List<String> CYCLE = List.of("open", "auth", "read", "close");
  private static final TrainerConfig TRAINER =
      TrainerConfig.builder()
          .hiddenSize(12)
          .layers(1)
          .window(8)
          .burnIn(4)
          .batchSize(8)
          .steps(150)
          .learningRate(0.02)
          .validationFraction(0.2)
          .seed(5)
          .build();

  private static CategoricalLearnerConfig config(int maxVocabulary) {
    return new CategoricalLearnerConfig(
        TRAINER, CellType.RNN, 6, maxVocabulary, Vocabulary.DEFAULT_UNKNOWN, 1000, 100_000, 0.0, 1);
  }

  @Test
  void learnsAFirstModelWhoseVocabularyIsTheDataUpToTheBound() throws Exception {
    CategoricalLearner learner = new CategoricalLearner("logs", config(4), CLOCK);
    feed(learner, 6, 200, CYCLE);
    Learner.Round round = learner.train(null);
    assertThat(round.publish()).isTrue();
    assertThat(round.reason()).isEqualTo("first_model");
    CategoricalModel model = (CategoricalModel) round.candidate();
    // Four cycle symbols are equally frequent: the first three seen fit beside <unk>.
    assertThat(model.vocabulary().symbols()).containsExactly("<unk>", "open", "auth", "read");
    assertThat(round.metrics().get("validation_cross_entropy")).isLessThan(Math.log(4));
    assertThat(round.metrics().get("vocabulary_size")).isEqualTo(4.0);
  }

  @Test
  void aLaterVersionKeepsItsParentsIdsAndAddsNewSymbolsWhileThereIsRoom() throws Exception {
    CategoricalLearner learner = new CategoricalLearner("logs", config(8), CLOCK);
    feed(learner, 6, 200, CYCLE);
    CategoricalModel v1 = (CategoricalModel) learner.train(null).candidate();
    v1 = v1.withInfo(new ModelInfo("logs", 1, CLOCK.instant(), 0, Map.of()));
    feed(learner, 6, 200, List.of("open", "auth", "write", "close"));
    Learner.Round second = learner.train(v1);
    CategoricalModel v2 = (CategoricalModel) second.candidate();
    assertThat(v2.vocabulary().symbols().subList(0, v1.vocabulary().size()))
        .containsExactlyElementsOf(v1.vocabulary().symbols());
    assertThat(v2.vocabulary().symbols()).endsWith("write");
    assertThat(second.metrics()).containsKey("current_cross_entropy");
    // The parent never saw "write" as a symbol of its own; the candidate predicts it.
    assertThat(second.metrics().get("validation_cross_entropy"))
        .isLessThanOrEqualTo(second.metrics().get("current_cross_entropy"));
    assertThat(second.publish()).isTrue();
  }

  @Test
  void refusesValuesAndAPublishedNumericModel() {
    CategoricalLearner learner = new CategoricalLearner("logs", config(8), CLOCK);
    assertThatThrownBy(() -> learner.observe("k", 1, new float[] {1f}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--input-kind symbols");
    assertThatThrownBy(() -> learner.train(TestModels.model("logs", 1, 1, 2, 1)))
        .hasMessageContaining("numeric");
  }

  @Test
  void withoutDataARoundPublishesNothing() throws Exception {
    Learner.Round round = new CategoricalLearner("logs", config(8), CLOCK).train(null);
    assertThat(round.publish()).isFalse();
    assertThat(round.reason()).isEqualTo("no_training_data");
  }

  @Test
  void aRoundDoesNotDependOnTheOrderInWhichKeysArrived() throws Exception {
    CategoricalLearner forward = new CategoricalLearner("logs", config(8), CLOCK);
    CategoricalLearner backward = new CategoricalLearner("logs", config(8), CLOCK);
    for (int t = 0; t < 120; t++) {
      for (int k = 0; k < 5; k++) {
        forward.observeSymbol("host-" + k, t, CYCLE.get((t * (k + 1)) % CYCLE.size()));
      }
      for (int k = 4; k >= 0; k--) {
        backward.observeSymbol("host-" + k, t, CYCLE.get((t * (k + 1)) % CYCLE.size()));
      }
    }
    byte[] a = ModelFile.write(forward.train(null).candidate());
    byte[] b = ModelFile.write(backward.train(null).candidate());
    assertThat(a).isEqualTo(b);
  }

  private static void feed(CategoricalLearner learner, int keys, int events, List<String> cycle) {
    for (int t = 0; t < events; t++) {
      for (int k = 0; k < keys; k++) {
        learner.observeSymbol("host-" + k, t, cycle.get((t + k) % cycle.size()));
      }
    }
  }
}
