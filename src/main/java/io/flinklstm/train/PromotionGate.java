package io.flinklstm.train;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.Normalizer;

/**
 * Decides whether a trained {@link Candidate} replaces the current model: only when it is of use,
 * beating the naive forecast that repeats each key's last value, and at least about as good as the
 * current model, on held-out recent data, so that a bad or useless training run never reaches the
 * job.
 *
 * <p>In order, a candidate is refused when its weights are not finite, when there are no validation
 * windows, when its version is not above the current one, when its validation loss is not finite,
 * when it does not beat repeating the last value by the naive margin ({@code candidateLoss > (1 −
 * naiveMargin) × lastValueLoss}), when it does not beat it on most keys (on no more than half of
 * the keys with validation windows is its loss the lower), and, when there is a current model
 * expecting the same per-key scaling, when {@code candidateLoss > currentLoss × (1 + margin)}.
 * Otherwise it is published. The margin lets a retrained model through when it is no better on this
 * particular sample (0 demands no regression at all; 0.01 tolerates 1% noise). A current model that
 * expects its values scaled otherwise (one from before per-key scaling) cannot be judged on the
 * same data; a candidate that beats the naive forecast replaces it.
 *
 * <p>All losses are computed here, by {@link Evaluator}, on the same windows and in the units of
 * the current model's normaliser (the candidate's when there is no current model), so the
 * comparison is fair even if the two normalisers differ. Stateless and thread-safe.
 */
public final class PromotionGate {
  /** By default a model must be 5% better than repeating the last value, and on most keys. */
  public static final double DEFAULT_NAIVE_MARGIN = 0.05;

  private final double margin;
  private final double naiveMargin;

  /** A gate with the default naive margin. */
  public PromotionGate(double margin) {
    this(margin, DEFAULT_NAIVE_MARGIN);
  }

  /**
   * @param margin the relative loss increase over the current model tolerated, at least 0
   * @param naiveMargin the relative improvement over repeating the last value required, in [0, 1)
   * @throws IllegalArgumentException naming the option out of range
   */
  public PromotionGate(double margin, double naiveMargin) {
    if (!(margin >= 0) || !Double.isFinite(margin)) {
      throw new IllegalArgumentException(
          "--gate-margin must be at least 0 and finite, was " + margin);
    }
    if (!(naiveMargin >= 0 && naiveMargin < 1)) {
      throw new IllegalArgumentException("--naive-margin must lie in [0, 1), was " + naiveMargin);
    }
    this.margin = margin;
    this.naiveMargin = naiveMargin;
  }

  public double margin() {
    return margin;
  }

  public double naiveMargin() {
    return naiveMargin;
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
    boolean sameInputs = current != null && current.time().equals(model.time());
    boolean comparable = sameInputs && current.scaling().equals(model.scaling());
    Normalizer reference = comparable ? current.normalizer() : model.normalizer();
    Evaluator.Losses losses = Evaluator.validationLosses(model, validation, reference);
    Evaluator.Losses naive = Evaluator.lastValueLosses(validation, reference);
    double currentLoss =
        comparable ? Evaluator.validationLoss(current, validation, reference) : Double.NaN;
    int[] keys = losses.keysBelow(naive);
    PromotionDecision.Reason reason =
        judge(
            losses.overall(),
            naive.overall(),
            keys[0],
            keys[1],
            current != null,
            sameInputs,
            comparable,
            currentLoss);
    return new PromotionDecision(
        reason.publishes(),
        reason,
        name,
        version,
        currentVersion,
        losses.overall(),
        currentLoss,
        naive.overall(),
        keys[0],
        keys[1],
        margin,
        naiveMargin,
        windows,
        reason.publishes() ? model : null);
  }

  /** The rule on the losses alone. */
  PromotionDecision.Reason judge(
      double candidateLoss,
      double naiveLoss,
      int keysBetter,
      int keysJudged,
      boolean hasCurrent,
      boolean sameInputs,
      boolean comparable,
      double currentLoss) {
    if (!Double.isFinite(candidateLoss)) {
      return PromotionDecision.Reason.NON_FINITE_LOSS;
    }
    if (!(candidateLoss <= (1 - naiveMargin) * naiveLoss)) {
      return PromotionDecision.Reason.NOT_BETTER_THAN_LAST_VALUE;
    }
    if (2 * keysBetter <= keysJudged) {
      return PromotionDecision.Reason.NOT_BETTER_FOR_MOST_KEYS;
    }
    if (!hasCurrent) {
      return PromotionDecision.Reason.FIRST_MODEL;
    }
    if (!sameInputs) {
      return PromotionDecision.Reason.INPUTS_CHANGED;
    }
    if (!comparable) {
      return PromotionDecision.Reason.SCALING_CHANGED;
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
        Double.NaN,
        0,
        0,
        margin,
        naiveMargin,
        windows,
        null);
  }
}
