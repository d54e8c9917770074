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

  /**
   * The likelihood on a log scale that keeps values near 1 apart: log(1 − likelihood) / log(10⁻¹⁰),
   * capped at 1 (0.5 at a likelihood of 0.99999), in [0, 1].
   */
  public double logLikelihood;

  /**
   * How strongly the detector would alarm, graded in [0, 1] for threshold searches: the
   * log-likelihood after the edge trigger, 1 when a value left the key's range, a channel got stuck
   * or its residuals drifted, 0 while warming up or in the quiet period after a flag.
   */
  public double confidence;

  /** Whether the flag was raised by the out-of-range rule. */
  public boolean outOfRange;

  /** Whether the flag was raised by the stuck-value rule. */
  public boolean stuck;

  /** Whether the flag was raised by the drift rule. */
  public boolean drift;

  /**
   * Whether the event is flagged: its likelihood reached the threshold (and it starts a run, under
   * the edge trigger) or a rule fired (range, stuck value, drift), after the warm-up and outside
   * the quiet period after the key's previous flag.
   */
  public boolean anomaly;

  /** Whether the key is still in its warm-up, when no flag is raised. */
  public boolean warmingUp;
}
