package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.bptt.Parameters;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PromotionGateTest {
  private static final TrainerConfig CONFIG =
      TrainerConfig.builder()
          .hiddenSize(12)
          .window(24)
          .burnIn(8)
          .batchSize(16)
          .steps(150)
          .learningRate(0.01)
          .seed(3)
          .build();

  private static TrainingData data;
  private static LstmModel trained;

  @BeforeAll
  static void trainACurrentModel() throws InterruptedException {
    data = TrainingData.split(TrainFixtures.periodicKeys(4, 400, 2), CONFIG);
    trained =
        new Trainer(CONFIG)
            .trainFresh(data, "gate", TrainFixtures.CREATED, TrainingListener.NONE)
            .toModel();
  }

  @Test
  void refusesAWorseModel() {
    // The trained weights with every prediction shifted by 0.2 normalised units, as version 2:
    // still better than repeating the last value on these periodic keys, but worse than version 1.
    Parameters shifted = Parameters.of(trained);
    for (int i = 0; i < shifted.headBias.length; i++) {
      shifted.headBias[i] += 0.2f;
    }
    PromotionDecision d = new PromotionGate(0.05).decide(candidate(shifted, 2), trained, data);
    assertThat(d.candidateLoss()).isLessThan(0.95 * d.lastValueLoss());
    assertThat(d.publish()).isFalse();
    assertThat(d.reason()).isEqualTo(PromotionDecision.Reason.WORSE);
    assertThat(d.candidateLoss()).isGreaterThan(d.currentLoss() * 1.05);
    assertThat(d.model()).isNull();
  }

  @Test
  void publishesAnEqualModelAndAFirstModel() {
    Candidate same = candidate(Parameters.of(trained), 2);
    PromotionDecision d = new PromotionGate(0).decide(same, trained, data);
    assertThat(d.publish()).isTrue();
    assertThat(d.reason()).isEqualTo(PromotionDecision.Reason.NOT_WORSE);
    assertThat(d.candidateLoss()).isEqualTo(d.currentLoss());
    assertThat(d.model().info().version()).isEqualTo(2);

    PromotionDecision first = new PromotionGate(0).decide(same, null, data);
    assertThat(first.reason()).isEqualTo(PromotionDecision.Reason.FIRST_MODEL);
    assertThat(first.currentVersion()).isZero();
  }

  @Test
  void refusesNonFiniteWeights() {
    Parameters broken = Parameters.of(trained);
    broken.layers[0].recurrentWeights[3][5] = Float.NaN;
    PromotionDecision d = new PromotionGate(0.05).decide(candidate(broken, 2), trained, data);
    assertThat(d.publish()).isFalse();
    assertThat(d.reason()).isEqualTo(PromotionDecision.Reason.NON_FINITE_WEIGHTS);
  }

  @Test
  void refusesAnOldVersionAndMissingValidationData() {
    PromotionGate gate = new PromotionGate(0.05);
    assertThat(gate.decide(candidate(Parameters.of(trained), 1), trained, data).reason())
        .isEqualTo(PromotionDecision.Reason.NOT_NEWER);
    TrainingData unvalidated =
        TrainingData.split(
            TrainFixtures.periodicKeys(4, 400, 2),
            CONFIG.toBuilder().validationFraction(0).build());
    assertThat(gate.decide(candidate(Parameters.of(trained), 2), trained, unvalidated).reason())
        .isEqualTo(PromotionDecision.Reason.NO_VALIDATION_DATA);
  }

  @Test
  void theMarginRule() {
    PromotionGate gate = new PromotionGate(0.1, 0);
    assertThat(gate.judge(1.1, 2, 3, 4, true, true, true, 1.0))
        .isEqualTo(PromotionDecision.Reason.NOT_WORSE);
    assertThat(gate.judge(1.1001, 2, 3, 4, true, true, true, 1.0))
        .isEqualTo(PromotionDecision.Reason.WORSE);
    assertThat(gate.judge(Double.NaN, 2, 3, 4, true, true, true, 1.0))
        .isEqualTo(PromotionDecision.Reason.NON_FINITE_LOSS);
    assertThat(gate.judge(Double.POSITIVE_INFINITY, 2, 3, 4, false, false, false, Double.NaN))
        .isEqualTo(PromotionDecision.Reason.NON_FINITE_LOSS);
    assertThat(gate.judge(1.5, 2, 3, 4, true, true, true, Double.NaN))
        .isEqualTo(PromotionDecision.Reason.CURRENT_LOSS_NOT_FINITE);
  }

  /**
   * A candidate must beat repeating the last value by the naive margin, overall and on more than
   * half of the keys, whether or not there is a current model.
   */
  @Test
  void theNaiveForecastRule() {
    PromotionGate gate = new PromotionGate(0, 0.05);
    assertThat(gate.judge(0.95, 1.0, 3, 4, false, false, false, Double.NaN))
        .isEqualTo(PromotionDecision.Reason.FIRST_MODEL);
    assertThat(gate.judge(0.9501, 1.0, 3, 4, false, false, false, Double.NaN))
        .isEqualTo(PromotionDecision.Reason.NOT_BETTER_THAN_LAST_VALUE);
    assertThat(gate.judge(0.5, 1.0, 2, 4, false, false, false, Double.NaN))
        .isEqualTo(PromotionDecision.Reason.NOT_BETTER_FOR_MOST_KEYS);
    assertThat(gate.judge(0.5, 1.0, 3, 4, true, true, true, 0.1))
        .isEqualTo(PromotionDecision.Reason.WORSE);
    assertThat(gate.judge(0.9501, 1.0, 3, 4, true, true, true, 2.0))
        .isEqualTo(PromotionDecision.Reason.NOT_BETTER_THAN_LAST_VALUE);
    // A current model that expects its values scaled otherwise cannot be judged on this data.
    assertThat(gate.judge(0.5, 1.0, 3, 4, true, true, false, Double.NaN))
        .isEqualTo(PromotionDecision.Reason.SCALING_CHANGED);
    // Nor can one that takes other time inputs.
    assertThat(gate.judge(0.5, 1.0, 3, 4, true, false, false, Double.NaN))
        .isEqualTo(PromotionDecision.Reason.INPUTS_CHANGED);
    assertThat(gate.judge(0.9501, 1.0, 3, 4, true, false, false, Double.NaN))
        .isEqualTo(PromotionDecision.Reason.NOT_BETTER_THAN_LAST_VALUE);
    assertThatThrownBy(() -> new PromotionGate(0, 1.0))
        .hasMessageContaining("--naive-margin must lie in [0, 1)");
  }

  /**
   * A model that predicts worse than repeating the last value on the held-out windows is refused as
   * a first model: freshly initialised weights predict next to nothing.
   */
  @Test
  void aFirstModelWorseThanTheLastValueIsRefused() {
    PromotionDecision d =
        new PromotionGate(0).decide(candidate(Parameters.of(freshWeights()), 1), null, data);
    assertThat(d.publish()).isFalse();
    assertThat(d.reason()).isEqualTo(PromotionDecision.Reason.NOT_BETTER_THAN_LAST_VALUE);
    assertThat(d.lastValueLoss()).isPositive().isLessThan(d.candidateLoss());
  }

  @Test
  void logsOneStructuredLine() {
    PromotionDecision d =
        new PromotionDecision(
            false,
            PromotionDecision.Reason.WORSE,
            "pump",
            4,
            3,
            0.0131,
            0.0125,
            0.0402,
            57,
            60,
            0.01,
            0.05,
            512,
            null);
    assertThat(d.logLine())
        .isEqualTo(
            "promotion decision=refuse reason=worse model=pump candidate_version=4"
                + " current_version=3 candidate_val_loss=0.0131000 current_val_loss=0.0125000"
                + " last_value_val_loss=0.0402000 keys_better=57 keys=60 margin=0.0100000"
                + " naive_margin=0.0500000 validation_windows=512");
  }

  private static LstmModel freshWeights() {
    return Initializer.fresh(trained.info(), trained.normalizer(), 12, 1, 99);
  }

  private static Candidate candidate(Parameters weights, long version) {
    var info =
        new io.flinklstm.model.ModelInfo(
            "gate", version, TrainFixtures.CREATED, version - 1, java.util.Map.of());
    TrainingReport report =
        new TrainingReport(0, 0, Double.NaN, Double.NaN, Double.NaN, 0, Duration.ZERO, true);
    return new Candidate(info, trained.normalizer(), weights, report);
  }
}
