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
   * log-likelihood after the edge trigger, 1 when a rule fired (range, stuck value, drift, time of
   * day), 0 while warming up or in the quiet period after a flag.
   */
  public double confidence;

  /** Whether the flag was raised by the out-of-range rule. */
  public boolean outOfRange;

  /** Whether the flag was raised by the stuck-value rule. */
  public boolean stuck;

  /** Whether the flag was raised by the drift rule. */
  public boolean drift;

  /** Whether the flag was raised by the time-of-day rule. */
  public boolean timeOfDay;

  /**
   * Whether the flag was raised by the likelihood: it reached the threshold (starting a run, under
   * the edge trigger).
   */
  public boolean likelihoodFlag;

  /**
   * Whether the event is flagged: its likelihood reached the threshold (and it starts a run, under
   * the edge trigger) or a rule fired (range, stuck value, drift), after the warm-up and outside
   * the quiet period after the key's previous flag.
   */
  public boolean anomaly;

  /** Whether the key is still in its warm-up, when no flag is raised. */
  public boolean warmingUp;

  /**
   * What raised the flag, as scores name it: "likelihood", "range", "stuck", "drift",
   * "time_of_day".
   */
  public static final String BY_LIKELIHOOD = "likelihood";

  public static final String BY_RANGE = "range";
  public static final String BY_STUCK = "stuck";
  public static final String BY_DRIFT = "drift";
  public static final String BY_TIME_OF_DAY = "time_of_day";

  /**
   * What raised a flag, as bits: a key remembers them with its flags ({@link
   * AnomalyDetector#rememberFlag}), so an analyst's false positive mutes the rule that raised it.
   */
  public static final int RULE_LIKELIHOOD = 1;

  public static final int RULE_RANGE = 2;
  public static final int RULE_STUCK = 4;
  public static final int RULE_DRIFT = 8;

  /** A symbol the categorical rules refused (top-g or the minimum probability). */
  public static final int RULE_SYMBOL = 16;

  public static final int RULE_TIME_OF_DAY = 32;

  /** What raised the flag, as {@code RULE_} bits; 0 when the event is not flagged. */
  public int rules() {
    if (!anomaly) {
      return 0;
    }
    return (likelihoodFlag ? RULE_LIKELIHOOD : 0)
        | (outOfRange ? RULE_RANGE : 0)
        | (stuck ? RULE_STUCK : 0)
        | (drift ? RULE_DRIFT : 0)
        | (timeOfDay ? RULE_TIME_OF_DAY : 0);
  }

  /** The names of what raised the flag, in a fixed order; null when the event is not flagged. */
  public String[] flaggedBy() {
    if (!anomaly) {
      return null;
    }
    String[] all = new String[5];
    int n = 0;
    if (likelihoodFlag) {
      all[n++] = BY_LIKELIHOOD;
    }
    if (outOfRange) {
      all[n++] = BY_RANGE;
    }
    if (stuck) {
      all[n++] = BY_STUCK;
    }
    if (drift) {
      all[n++] = BY_DRIFT;
    }
    if (timeOfDay) {
      all[n++] = BY_TIME_OF_DAY;
    }
    return java.util.Arrays.copyOf(all, n);
  }
}
