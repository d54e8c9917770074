package io.flinklstm.train;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.Normalizer;

/**
 * Decides whether a trained {@link Candidate} replaces the current model: only when it is at least
 * about as good on held-out recent data, so that a bad training run never reaches the job.
 *
 * <p>In order, a candidate is refused when its weights are not finite, when there are no validation
 * windows, when its version is not above the current one, when its validation loss is not finite,
 * and when {@code candidateLoss > currentLoss × (1 + margin)}. Otherwise it is published. The
 * margin lets a retrained model through when it is no better on this particular sample (margin 0
 * demands no regression at all; 0.01 tolerates 1% noise).
 *
 * <p>Both losses are computed here, by {@link Evaluator}, on the same windows and in the units of
 * the current model's normaliser (the candidate's when there is no current model), so the
 * comparison is fair even if the two normalisers differ. Stateless and thread-safe.
 */
public final class PromotionGate {
  private final double margin;

  /**
   * @param margin the relative loss increase tolerated, at least 0
   * @throws IllegalArgumentException if the margin is negative or not finite
   */
  public PromotionGate(double margin) {
    if (!(margin >= 0) || !Double.isFinite(margin)) {
      throw new IllegalArgumentException("margin must be at least 0 and finite, was " + margin);
    }
    this.margin = margin;
  }

  public double margin() {
    return margin;
  }

  /**
   * @param current the model in service, or null if there is none
   * @param validation the held-out windows to compare on
   * @throws IllegalArgumentException if the current model has another name: a wiring mistake
   */
  public PromotionDecision decide(Candidate candidate, LstmModel current, TrainingData validation) {
    String name = candidate.info().name();
    if (current != null && !current.info().name().equals(name)) {
      throw new IllegalArgumentException(
          "candidate '" + name + "' compared with model '" + current.info().name() + "'");
    }
    long version = candidate.info().version();
    long currentVersion = current == null ? 0 : current.info().version();
    int windows = validation.validationWindows();
    if (!candidate.weightsFinite()) {
      return refuse(
          PromotionDecision.Reason.NON_FINITE_WEIGHTS, candidate, currentVersion, windows);
    }
    if (windows == 0) {
      return refuse(PromotionDecision.Reason.NO_VALIDATION_DATA, candidate, currentVersion, 0);
    }
    if (version <= currentVersion) {
      return refuse(PromotionDecision.Reason.NOT_NEWER, candidate, currentVersion, windows);
    }
    LstmModel model = candidate.toModel();
    Normalizer reference = current == null ? model.normalizer() : current.normalizer();
    double candidateLoss = Evaluator.validationLoss(model, validation, reference);
    double currentLoss =
        current == null ? Double.NaN : Evaluator.validationLoss(current, validation, reference);
    PromotionDecision.Reason reason = judge(candidateLoss, current != null, currentLoss);
    return new PromotionDecision(
        reason.publishes(),
        reason,
        name,
        version,
        currentVersion,
        candidateLoss,
        currentLoss,
        margin,
        windows,
        reason.publishes() ? model : null);
  }

  /** The rule on the two losses alone. */
  PromotionDecision.Reason judge(double candidateLoss, boolean hasCurrent, double currentLoss) {
    if (!Double.isFinite(candidateLoss)) {
      return PromotionDecision.Reason.NON_FINITE_LOSS;
    }
    if (!hasCurrent) {
      return PromotionDecision.Reason.FIRST_MODEL;
    }
    if (!Double.isFinite(currentLoss)) {
      return PromotionDecision.Reason.CURRENT_LOSS_NOT_FINITE;
    }
    return candidateLoss <= currentLoss * (1 + margin)
        ? PromotionDecision.Reason.NOT_WORSE
        : PromotionDecision.Reason.WORSE;
  }

  private PromotionDecision refuse(
      PromotionDecision.Reason reason, Candidate candidate, long currentVersion, int windows) {
    return new PromotionDecision(
        false,
        reason,
        candidate.info().name(),
        candidate.info().version(),
        currentVersion,
        Double.NaN,
        Double.NaN,
        margin,
        windows,
        null);
  }
}
