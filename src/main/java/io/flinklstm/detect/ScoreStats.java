package io.flinklstm.detect;

import java.util.Arrays;

/**
 * One key's running statistics, kept in keyed state and checkpointed with its LSTM state.
 *
 * <p>Mutable plain fields, updated in place by {@link AnomalyDetector}; the job's state serializer
 * writes them field by field.
 */
public final class ScoreStats {
  /** Events scored so far. */
  public long seen;

  /** Running mean and variance of the prediction error. */
  public double errorMean;

  public double errorVar;

  /** Running mean and variance, over the long window, of the recent mean of raw scores. */
  public double longMean;

  public double longVar;

  /** The recent mean: the mean of the raw scores in {@link #recent}. */
  public double shortMean;

  /**
   * The last raw scores, a ring of the short window's length written at {@link #recentNext}; {@link
   * #recentCount} of them are filled.
   */
  public double[] recent = new double[0];

  public int recentNext;
  public int recentCount;

  /** Whether the previous event's likelihood reached the threshold: the edge trigger's memory. */
  public boolean inRedZone;

  /** The value of {@link #seen} at the key's last flag; 0 before its first. */
  public long lastFlag;

  /**
   * After the key's recurrent state restarted, the value of {@link #seen} up to which its errors
   * stay out of the statistics, as its first ones do; 0 when it never restarted.
   */
  public long settleUntil;

  /**
   * The smallest and largest value of each channel so far, in raw units, for the out-of-range rule;
   * empty before the key's first numeric event.
   */
  public float[] rangeMin = new float[0];

  public float[] rangeMax = new float[0];

  /**
   * Per channel, for the stuck-value rule: how many events in a row have carried the channel's last
   * value ({@link #rangeMin}'s length; empty before the first numeric event), and the longest such
   * run before the current one.
   */
  public float[] lastValues = new float[0];

  public int[] repeats = new int[0];
  public int[] longestRepeats = new int[0];

  /**
   * Per channel, for the drift rule: the running mean, variance and lag-one covariance of the
   * prediction residuals (value − prediction, in the model's units), the last residual's deviation
   * from that mean, and the cumulative sums of their upward and downward drift (Page's CUSUM, in
   * running deviations); empty before the key's statistics take their first numeric event.
   */
  public float[] residualMean = new float[0];

  public float[] residualVar = new float[0];
  public float[] residualCov = new float[0];
  public float[] residualLast = new float[0];
  public float[] driftUp = new float[0];
  public float[] driftDown = new float[0];

  /**
   * Analysts' false positives ({@link AnomalyDetector#falsePositive}): how many raise the key's
   * likelihood threshold now, and the value of {@link #seen} when the last was applied or a raise
   * was last dropped.
   */
  public int raises;

  public long raisedAt;

  /**
   * The rules ({@code Score.RULE_} bits) that false positives muted for the key, until {@link
   * #seen} passes {@link #mutedUntil}.
   */
  public int mutedRules;

  public long mutedUntil;

  /**
   * The key's last flags, for verdicts that come after them: a ring of at most {@link
   * AnomalyDetector#FLAG_MEMORY}, written at {@link #flagNext}, of each flagged event's time and
   * the rules that raised it; empty before the key's first flag.
   */
  public long[] flagTimes = new long[0];

  public byte[] flagRules = new byte[0];
  public int flagNext;

  /**
   * For the time-of-day rule, per bin (an hour of a weekday or of a weekend day) and channel, bin
   * major: the running mean and variance of the channel's values; per bin, how many values it has
   * learnt; per channel, the cumulative sums of the values' distance above and below their hour's
   * mean (negative for a sum that has flagged and not yet come back to 0); and the time of the
   * key's first event the rule saw. Empty while the rule is off for the key.
   */
  public float[] dayMean = new float[0];

  public float[] dayVar = new float[0];
  public int[] dayCount = new int[0];
  public float[] dayUp = new float[0];
  public float[] dayDown = new float[0];
  public long dayStart;

  public void copyFrom(ScoreStats other) {
    seen = other.seen;
    errorMean = other.errorMean;
    errorVar = other.errorVar;
    longMean = other.longMean;
    longVar = other.longVar;
    shortMean = other.shortMean;
    recent = other.recent.clone();
    recentNext = other.recentNext;
    recentCount = other.recentCount;
    inRedZone = other.inRedZone;
    lastFlag = other.lastFlag;
    settleUntil = other.settleUntil;
    rangeMin = other.rangeMin.clone();
    rangeMax = other.rangeMax.clone();
    lastValues = other.lastValues.clone();
    repeats = other.repeats.clone();
    longestRepeats = other.longestRepeats.clone();
    residualMean = other.residualMean.clone();
    residualVar = other.residualVar.clone();
    driftUp = other.driftUp.clone();
    driftDown = other.driftDown.clone();
    residualCov = other.residualCov.clone();
    residualLast = other.residualLast.clone();
    raises = other.raises;
    raisedAt = other.raisedAt;
    mutedRules = other.mutedRules;
    mutedUntil = other.mutedUntil;
    flagTimes = other.flagTimes.clone();
    flagRules = other.flagRules.clone();
    flagNext = other.flagNext;
    dayMean = other.dayMean.clone();
    dayVar = other.dayVar.clone();
    dayCount = other.dayCount.clone();
    dayUp = other.dayUp.clone();
    dayDown = other.dayDown.clone();
    dayStart = other.dayStart;
  }

  @Override
  public String toString() {
    return "ScoreStats{seen="
        + seen
        + ", error="
        + errorMean
        + "±"
        + Math.sqrt(errorVar)
        + ", recent="
        + shortMean
        + ", long="
        + longMean
        + "±"
        + Math.sqrt(longVar)
        + ", lastFlag="
        + lastFlag
        + ", range="
        + Arrays.toString(rangeMin)
        + ".."
        + Arrays.toString(rangeMax)
        + "}";
  }
}
