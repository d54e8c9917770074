package io.flinklstm.train;

import io.flinklstm.model.LstmModel;
import java.util.Locale;

/**
 * The {@link PromotionGate}'s verdict on one candidate, with everything needed to log and count it.
 *
 * @param publish whether the candidate may be published
 * @param reason why
 * @param name the model name
 * @param candidateVersion the candidate's version
 * @param currentVersion the current model's version, 0 if there is none
 * @param candidateLoss the candidate's validation loss, NaN if not computed
 * @param currentLoss the current model's validation loss, NaN if there is no current model or it
 *     expects its values scaled otherwise
 * @param lastValueLoss the loss of repeating each key's last value on the same windows
 * @param keysBetter keys on which the candidate's loss is below the last value's
 * @param keysJudged keys with validation windows
 * @param margin the relative margin the gate allows over the current model
 * @param naiveMargin the relative improvement over the last value the gate requires
 * @param validationWindows the windows both losses were measured on
 * @param model the candidate as a model when it is published, else null
 */
public record PromotionDecision(
    boolean publish,
    Reason reason,
    String name,
    long candidateVersion,
    long currentVersion,
    double candidateLoss,
    double currentLoss,
    double lastValueLoss,
    int keysBetter,
    int keysJudged,
    double margin,
    double naiveMargin,
    int validationWindows,
    LstmModel model) {

  /** Why a candidate was published or refused; {@link #publishes()} tells which. */
  public enum Reason {
    /** No current model, and the candidate beats repeating the last value. */
    FIRST_MODEL(true),
    /** candidate loss ≤ current loss × (1 + margin). */
    NOT_WORSE(true),
    /** The current model's loss is not finite, the candidate's is. */
    CURRENT_LOSS_NOT_FINITE(true),
    /**
     * The current model expects its values scaled otherwise, so it cannot be judged on this data;
     * the candidate beats repeating the last value.
     */
    SCALING_CHANGED(true),
    /**
     * The current model takes other inputs (other time inputs), so it cannot be judged on this
     * data; the candidate beats repeating the last value.
     */
    INPUTS_CHANGED(true),
    /** candidate loss &gt; (1 − naive margin) × the loss of repeating the last value. */
    NOT_BETTER_THAN_LAST_VALUE(false),
    /** The candidate beats repeating the last value on no more than half of the keys. */
    NOT_BETTER_FOR_MOST_KEYS(false),
    /** candidate loss &gt; current loss × (1 + margin). */
    WORSE(false),
    /** A weight of the candidate is NaN or infinite. */
    NON_FINITE_WEIGHTS(false),
    /** The candidate's validation loss is NaN or infinite. */
    NON_FINITE_LOSS(false),
    /** There is no held-out data to validate on. */
    NO_VALIDATION_DATA(false),
    /** The candidate's version is not above the current one: versions only move forward. */
    NOT_NEWER(false),
    /** Nothing was trained: no key has the values one training window needs yet. */
    NO_TRAINING_DATA(false);

    private final boolean publishes;

    Reason(boolean publishes) {
      this.publishes = publishes;
    }

    public boolean publishes() {
      return publishes;
    }

    /** The lower-case name used in log lines and metrics, e.g. {@code not_worse}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One line of {@code key=value} pairs for a log, e.g. {@code promotion decision=publish
   * reason=not_worse model=pump candidate_version=4 current_version=3 candidate_val_loss=0.0121
   * current_val_loss=0.0125 last_value_val_loss=0.0402 keys_better=57 keys=60 margin=0.01
   * naive_margin=0.05 validation_windows=512}.
   */
  public String logLine() {
    return String.format(
        Locale.ROOT,
        "promotion decision=%s reason=%s model=%s candidate_version=%d current_version=%d"
            + " candidate_val_loss=%s current_val_loss=%s last_value_val_loss=%s keys_better=%d"
            + " keys=%d margin=%s naive_margin=%s validation_windows=%d",
        publish ? "publish" : "refuse",
        reason.id(),
        name,
        candidateVersion,
        currentVersion,
        number(candidateLoss),
        number(currentLoss),
        number(lastValueLoss),
        keysBetter,
        keysJudged,
        number(margin),
        number(naiveMargin),
        validationWindows);
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.6g", v);
  }
}
