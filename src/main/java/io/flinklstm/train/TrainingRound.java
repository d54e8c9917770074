package io.flinklstm.train;

import io.flinklstm.model.LstmModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one {@link ContinualTrainer#round}: the gate's decision and, when a model was
 * trained, the candidate.
 *
 * @param decision what to do; {@link PromotionDecision#logLine()} is the line to log
 * @param candidate the trained candidate, or null when nothing was trained
 */
public record TrainingRound(PromotionDecision decision, Candidate candidate) {

  public boolean publish() {
    return decision.publish();
  }

  /** The model to publish, or null when the round publishes nothing. */
  public LstmModel model() {
    return decision.model();
  }

  /**
   * Numbers for logs and the published model's header: the candidate's training metrics ({@code
   * train_loss}, {@code val_loss}, {@code baseline_val_loss}), the run's {@code steps}, {@code
   * skipped_steps} and {@code train_seconds}, the gate's {@code current_val_loss} when there was a
   * current model it could judge, and {@code keys_better} and {@code keys} (the keys on which the
   * candidate beat repeating the last value, of those with validation windows); only finite values.
   */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    if (candidate != null) {
      m.putAll(candidate.info().metrics());
      TrainingReport r = candidate.report();
      m.put("steps", (double) r.steps());
      m.put("skipped_steps", (double) r.skippedSteps());
      m.put("train_seconds", r.elapsed().toNanos() / 1e9);
    }
    if (Double.isFinite(decision.currentLoss())) {
      m.put("current_val_loss", decision.currentLoss());
    }
    if (decision.keysJudged() > 0) {
      m.put("keys_better", (double) decision.keysBetter());
      m.put("keys", (double) decision.keysJudged());
    }
    return m;
  }
}
