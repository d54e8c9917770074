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
 */
public final class ScoreRecord {
  /** The event was scored by a model. */
  public static final String SCORED = "scored";

  /** No model was available; the event passed through unscored. */
  public static final String NO_MODEL = "no_model";

  public String key;
  public long ts;
  public float[] values;
  public float[] prediction;
  public double error;
  public double rawScore;
  public double likelihood;
  public boolean anomaly;
  public boolean warmingUp;
  public String model;
  public long modelVersion;
  public String status;

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
        && anomaly == s.anomaly
        && warmingUp == s.warmingUp
        && modelVersion == s.modelVersion
        && Objects.equals(key, s.key)
        && Arrays.equals(values, s.values)
        && Arrays.equals(prediction, s.prediction)
        && Objects.equals(model, s.model)
        && Objects.equals(status, s.status);
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
        + ", error="
        + error
        + ", likelihood="
        + likelihood
        + ", anomaly="
        + anomaly
        + ", model="
        + model
        + "@"
        + modelVersion
        + ", status="
        + status
        + "}";
  }
}
