package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.LstmModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {
  /** The share of the last-value baseline's loss a trained model must get under. */
  private static final double BEAT_BASELINE_BY = 0.5;

  private static final TrainerConfig SMALL =
      TrainerConfig.builder()
          .hiddenSize(16)
          .window(24)
          .burnIn(8)
          .batchSize(16)
          .steps(300)
          .learningRate(0.01)
          .validationFraction(0.2)
          .seed(5)
          .build();

  private final TrainingData data =
      TrainingData.split(TrainFixtures.periodicKeys(6, 500, 1), SMALL);

  @Test
  void learnsNoisyPeriodicKeysFarBetterThanTheLastValue() throws InterruptedException {
    List<TrainingProgress> progress = new ArrayList<>();
    Candidate candidate =
        new Trainer(SMALL).trainFresh(data, "periodic", TrainFixtures.CREATED, progress::add);

    TrainingReport report = candidate.report();
    assertThat(report.validationLoss()).isLessThan(BEAT_BASELINE_BY * report.baselineLoss());
    assertThat(report.trainLoss()).isLessThan(progress.get(0).loss());
    assertThat(report.skippedSteps()).isZero();
    assertThat(progress).hasSize(300);
    assertThat(progress.get(299).sequenceSteps()).isEqualTo(300L * 16 * 24);
    assertThat(candidate.info().version()).isEqualTo(1);
    assertThat(candidate.info().parentVersion()).isZero();
    assertThat(candidate.info().metrics())
        .containsOnlyKeys("train_loss", "val_loss", "baseline_val_loss")
        .containsEntry("val_loss", report.validationLoss());
  }

  @Test
  void sameSeedSameModel() throws InterruptedException {
    TrainerConfig quick = SMALL.toBuilder().steps(20).build();
    Candidate a = new Trainer(quick).trainFresh(data, "det", TrainFixtures.CREATED, null_());
    Candidate b = new Trainer(quick).trainFresh(data, "det", TrainFixtures.CREATED, null_());
    var pa = a.parameters().arrays();
    var pb = b.parameters().arrays();
    for (int i = 0; i < pa.size(); i++) {
      assertThat(pb.get(i)).containsExactly(pa.get(i));
    }
    assertThat(b.report().validationLoss()).isEqualTo(a.report().validationLoss());
  }

  @Test
  void warmStartContinuesTheParentsVersionsAndKeepsItsNormaliser() throws InterruptedException {
    TrainerConfig quick = SMALL.toBuilder().steps(30).build();
    LstmModel parent =
        new Trainer(quick).trainFresh(data, "warm", TrainFixtures.CREATED, null_()).toModel();
    // A different architecture in the config does not matter: the parent's is kept.
    TrainerConfig other = quick.toBuilder().hiddenSize(7).layers(2).steps(60).build();
    Candidate child = new Trainer(other).trainFrom(parent, data, TrainFixtures.CREATED, null_());

    assertThat(child.info().name()).isEqualTo("warm");
    assertThat(child.info().version()).isEqualTo(2);
    assertThat(child.info().parentVersion()).isEqualTo(1);
    assertThat(child.normalizer()).isSameAs(parent.normalizer());
    assertThat(child.toModel().layers()).hasSize(1);
    assertThat(child.report().warmStart()).isTrue();
    assertThat(child.report().validationLoss()).isLessThan(Evaluator.validationLoss(parent, data));
  }

  @Test
  void stopsWhenInterrupted() {
    Trainer trainer = new Trainer(SMALL);
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> trainer.trainFresh(data, "stop", TrainFixtures.CREATED, null_()))
        .isInstanceOf(InterruptedException.class)
        .hasMessage("training stopped after 0 of 300");
  }

  @Test
  void refusesDataWithoutTrainingWindows() {
    TrainingData tiny =
        TrainingData.split(TrainFixtures.periodicKeys(2, 30, 1), SMALL.toBuilder().build());
    assertThatThrownBy(
            () -> new Trainer(SMALL).trainFresh(tiny, "tiny", TrainFixtures.CREATED, null_()))
        .hasMessage(
            "no training windows in 2 series: a window needs burn-in + window + 1 = 33 values"
                + " before the validation part of its key");
  }

  private static TrainingListener null_() {
    return TrainingListener.NONE;
  }
}
