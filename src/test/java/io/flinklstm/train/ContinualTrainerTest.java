package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.LstmModel;
import org.junit.jupiter.api.Test;

class ContinualTrainerTest {
  private static final TrainerConfig CONFIG =
      TrainerConfig.builder()
          .hiddenSize(12)
          .window(24)
          .burnIn(8)
          .batchSize(16)
          .steps(120)
          .learningRate(0.01)
          .build();

  private final ContinualTrainer trainer =
      new ContinualTrainer(
          "stream", new SequenceStore(2, 400, 1_000_000), CONFIG, new PromotionGate(0.02));

  @Test
  void nothingToTrainOnAtFirst() throws InterruptedException {
    trainer.observe("a", 0, new float[] {1, 2});
    TrainingRound round = trainer.round(null, TrainFixtures.CREATED);
    assertThat(round.publish()).isFalse();
    assertThat(round.candidate()).isNull();
    assertThat(round.decision().reason()).isEqualTo(PromotionDecision.Reason.NO_TRAINING_DATA);
    assertThat(round.decision().logLine())
        .startsWith("promotion decision=refuse reason=no_training_data model=stream");
  }

  @Test
  void firstRoundPublishesAndTheNextIsJudgedAgainstIt() throws InterruptedException {
    feed(TrainFixtures.periodicKeys(5, 400, 4));
    TrainingRound first = trainer.round(null, TrainFixtures.CREATED);
    assertThat(first.publish()).isTrue();
    assertThat(first.decision().reason()).isEqualTo(PromotionDecision.Reason.FIRST_MODEL);
    LstmModel v1 = first.model();
    assertThat(v1.info().version()).isEqualTo(1);
    assertThat(first.metrics())
        .containsKeys("train_loss", "val_loss", "baseline_val_loss", "steps", "train_seconds")
        .doesNotContainKey("current_val_loss");

    TrainingRound second = trainer.round(v1, TrainFixtures.CREATED);
    assertThat(second.candidate().info().version()).isEqualTo(2);
    assertThat(second.candidate().info().parentVersion()).isEqualTo(1);
    assertThat(second.decision().currentVersion()).isEqualTo(1);
    assertThat(second.metrics()).containsKey("current_val_loss");
    // More training from a good start on the same data: not worse beyond the margin.
    assertThat(second.decision().reason()).isEqualTo(PromotionDecision.Reason.NOT_WORSE);
  }

  private void feed(SequenceSet set) {
    float[] step = new float[set.inputSize()];
    for (int t = 0; t < set.series().get(0).length(); t++) {
      for (Series s : set.series()) {
        s.copyStep(t, step);
        trainer.observe(s.key(), t, step);
      }
    }
  }
}
