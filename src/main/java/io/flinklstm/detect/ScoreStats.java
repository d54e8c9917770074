package io.flinklstm.detect;

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

  /** Running mean of raw scores over the short window: the recent mean. */
  public double shortMean;

  /** The value of {@link #seen} at the key's last flag; 0 before its first. */
  public long lastFlag;

  /**
   * After the key's recurrent state restarted, the value of {@link #seen} up to which its errors
   * stay out of the statistics, as its first ones do; 0 when it never restarted.
   */
  public long settleUntil;

  public void reset() {
    seen = 0;
    errorMean = 0;
    errorVar = 0;
    longMean = 0;
    longVar = 0;
    shortMean = 0;
    lastFlag = 0;
    settleUntil = 0;
  }

  public void copyFrom(ScoreStats other) {
    seen = other.seen;
    errorMean = other.errorMean;
    errorVar = other.errorVar;
    longMean = other.longMean;
    longVar = other.longVar;
    shortMean = other.shortMean;
    lastFlag = other.lastFlag;
    settleUntil = other.settleUntil;
  }
}
