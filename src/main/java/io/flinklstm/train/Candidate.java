package io.flinklstm.train;

import io.flinklstm.model.InputScaling;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.model.bptt.Parameters;

/**
 * A trained model that has not been accepted yet: its metadata (name, next version, parent,
 * metrics), normaliser and weights, and the report of the run that made it. The {@link
 * PromotionGate} decides whether it is published.
 *
 * <p>The weights are kept as {@link Parameters} rather than as a model, so that a candidate whose
 * weights are not finite can still be described and refused instead of failing on construction.
 */
public final class Candidate {
  private final ModelInfo info;
  private final Normalizer normalizer;
  private final InputScaling scaling;
  private final TimeFeatures time;
  private final Parameters parameters;
  private final TrainingReport report;

  /** A candidate for values as they are ({@link InputScaling#NONE}). */
  public Candidate(
      ModelInfo info, Normalizer normalizer, Parameters parameters, TrainingReport report) {
    this(info, normalizer, InputScaling.NONE, TimeFeatures.NONE, parameters, report);
  }

  /**
   * @param scaling how the values it was trained on were scaled per key
   * @param time the time inputs its steps take after their values
   * @param parameters the weights; copied
   */
  public Candidate(
      ModelInfo info,
      Normalizer normalizer,
      InputScaling scaling,
      TimeFeatures time,
      Parameters parameters,
      TrainingReport report) {
    this.info = info;
    this.normalizer = normalizer;
    this.scaling = scaling;
    this.time = time;
    this.parameters = parameters.copy();
    this.report = report;
  }

  public ModelInfo info() {
    return info;
  }

  public Normalizer normalizer() {
    return normalizer;
  }

  /** A copy of the weights. */
  public Parameters parameters() {
    return parameters.copy();
  }

  public TrainingReport report() {
    return report;
  }

  /** Whether every weight is finite; Adam never makes one that is not, so this is a safeguard. */
  public boolean weightsFinite() {
    for (float[] a : parameters.arrays()) {
      for (float v : a) {
        if (!Float.isFinite(v)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The model to publish.
   *
   * @throws IllegalArgumentException if a weight is not finite
   */
  public LstmModel toModel() {
    return parameters.toModel(info, normalizer, scaling, time);
  }
}
