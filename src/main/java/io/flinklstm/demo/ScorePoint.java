package io.flinklstm.demo;

import java.util.Objects;

/**
 * What detection metrics need of one score.
 *
 * @param key the key scored
 * @param ts the event time scored
 * @param anomaly whether the event was flagged
 * @param likelihood the anomaly likelihood, in [0, 1]
 * @param modelVersion the model version that scored it; 0 when none did
 */
public record ScorePoint(
    String key, long ts, boolean anomaly, double likelihood, long modelVersion) {
  public ScorePoint {
    Objects.requireNonNull(key, "key");
  }
}
