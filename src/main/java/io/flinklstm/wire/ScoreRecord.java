package io.flinklstm.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The score of one accepted event: what the model expected, how far off it was, and what that
 * means.
 *
 * <p>{@code prediction} is what the model predicted for this event from the key's history (raw
 * units); {@code error} is the distance between prediction and values in the model's normalised
 * units. Every score names the model version that produced it. A Flink POJO, so it never falls back
 * to Kryo.
 *
 * <p>The score of a symbol event (a categorical model) carries {@code symbol} instead of {@code
 * values} and {@code prediction}; its {@code error} is the surprise −log p(symbol) in nats, which
 * the per-key statistics turn into the raw score and likelihood as for a numeric error, and it adds
 * {@code surprise}, {@code rank} (0 for the model's most likely symbol) and {@code verdict} ({@code
 * expected}, {@code not_in_top_g}, {@code improbable} or {@code unknown}). These fields are null,
 * and so absent from the JSON, in the score of a numeric event.
 */
public final class ScoreRecord {
  /** The event was scored by a model. */
  public static final String SCORED = "scored";

  /** No model was available; the event passed through unscored. */
  public static final String NO_MODEL = "no_model";

  /**
   * No model was available yet; the event was scored with the naive forecast, its key's last value
   * ({@code modelVersion} 0).
   */
  public static final String NAIVE = "naive";

  public String key;
  public long ts;
  public float[] values;
  public float[] prediction;
  public double error;
  public double rawScore;
  public double likelihood;

  /**
   * The likelihood on a log scale that keeps values near 1 apart: log(1 − likelihood) / log(10⁻¹⁰),
   * capped at 1 (0.3 at a likelihood of 0.999, 0.5 at 0.99999), as Numenta reports.
   */
  public double logLikelihood;

  /**
   * How strongly the detector alarms, graded in [0, 1] so a threshold search can rank events: the
   * log-likelihood after the edge trigger (a run's later events at half the threshold's), 1 when a
   * value left the key's range, a channel got stuck, its residuals drifted or its level left its
   * hour's, 0 while warming up or in the quiet period after a flag. {@link #anomaly} is what the
   * job alerts on.
   */
  public double confidence;

  public boolean anomaly;

  /**
   * What raised the flag of a flagged numeric event, one or more of "likelihood", "range", "stuck",
   * "drift" and "time_of_day"; "symbol" for a symbol the categorical rules refused. Null when not
   * flagged.
   */
  public String[] flaggedBy;

  public boolean warmingUp;
  public String model;
  public long modelVersion;
  public String status;

  /** The symbol that came; null for a numeric event. */
  public String symbol;

  /** −log p(symbol) in nats under the prediction made before it; null for a numeric event. */
  public Double surprise;

  /** Symbols the model found more likely than this one; null for a numeric event. */
  public Integer rank;

  /**
   * {@link #EXPECTED}, {@link #NOT_IN_TOP_G}, {@link #IMPROBABLE} or {@link #UNKNOWN}; null for a
   * numeric event.
   */
  public String verdict;

  /**
   * A numeric event's explanation: each value's share of the squared error in the model's
   * normalised units, (prediction − value)² / D for value i, which sum to {@code error}² to a
   * float's precision. Null for a symbol event and an unscored one.
   */
  public float[] contributions;

  /**
   * The index of the value with the largest share of the error: the channel that moved most against
   * the prediction. Null where {@link #contributions} is.
   */
  public Integer topChannel;

  /**
   * A symbol event's explanation: the model's most likely symbols before it came, most likely
   * first, at most three. Null for a numeric event.
   */
  public String[] expected;

  /** The symbol is among the model's g most likely predictions. */
  public static final String EXPECTED = "expected";

  /** The symbol is in the vocabulary but not among the g most likely predictions. */
  public static final String NOT_IN_TOP_G = "not_in_top_g";

  /**
   * The symbol is among the g most likely predictions but its probability is below the job's
   * minimum probability.
   */
  public static final String IMPROBABLE = "improbable";

  /** The symbol is not in the model's vocabulary: an anomaly of its own kind. */
  public static final String UNKNOWN = "unknown";

  /** In {@link #flaggedBy}: the categorical rules (top g, minimum probability, unknown symbol). */
  public static final String BY_SYMBOL = "symbol";

  public ScoreRecord() {}

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ScoreRecord)) {
      return false;
    }
    ScoreRecord s = (ScoreRecord) o;
    return ts == s.ts
        && Double.compare(error, s.error) == 0
        && Double.compare(rawScore, s.rawScore) == 0
        && Double.compare(likelihood, s.likelihood) == 0
        && Double.compare(logLikelihood, s.logLikelihood) == 0
        && Double.compare(confidence, s.confidence) == 0
        && anomaly == s.anomaly
        && warmingUp == s.warmingUp
        && modelVersion == s.modelVersion
        && Objects.equals(key, s.key)
        && Arrays.equals(values, s.values)
        && Arrays.equals(prediction, s.prediction)
        && Objects.equals(model, s.model)
        && Objects.equals(status, s.status)
        && Objects.equals(symbol, s.symbol)
        && Objects.equals(surprise, s.surprise)
        && Objects.equals(rank, s.rank)
        && Objects.equals(verdict, s.verdict)
        && Arrays.equals(flaggedBy, s.flaggedBy)
        && Arrays.equals(contributions, s.contributions)
        && Objects.equals(topChannel, s.topChannel)
        && Arrays.equals(expected, s.expected);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, ts, model, modelVersion, error);
  }

  @Override
  public String toString() {
    return "ScoreRecord{key="
        + key
        + ", ts="
        + ts
        + (symbol == null ? "" : ", symbol=" + symbol + ", verdict=" + verdict)
        + ", error="
        + error
        + ", likelihood="
        + likelihood
        + ", anomaly="
        + anomaly
        + (flaggedBy == null ? "" : " by " + String.join("+", flaggedBy))
        + ", model="
        + model
        + "@"
        + modelVersion
        + ", status="
        + status
        + "}";
  }
}
