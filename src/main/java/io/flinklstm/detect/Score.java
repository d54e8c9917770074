package io.flinklstm.detect;

/**
 * The outcome of scoring one event; a reusable holder, overwritten by each {@link
 * AnomalyDetector#score} call.
 */
public final class Score {
  /** The prediction error in normalised units (root mean square over the features). */
  public double error;

  /**
   * How unusual the error is for this key: Φ of its z-score against the key's history, in [0, 1].
   */
  public double rawScore;

  /** How unusual the recent raw scores are against their long-run distribution, in [0, 1]. */
  public double likelihood;

  /** Whether the likelihood reached the threshold after the warm-up. */
  public boolean anomaly;

  /** Whether the key is still in its warm-up, when no flag is raised. */
  public boolean warmingUp;
}
