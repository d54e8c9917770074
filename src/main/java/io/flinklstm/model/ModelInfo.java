package io.flinklstm.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a model is, apart from its numbers: its name, its version in that name's sequence, when it
 * was made, the version it was trained from, and the metrics its training reported.
 *
 * @param name the model's name; the key of its records on the models topic
 * @param version positive, strictly increasing per name
 * @param created when the file was produced
 * @param parentVersion the version it was warm-started from, or 0 for none
 * @param metrics training metrics in the order they were reported (for instance validation loss)
 */
public record ModelInfo(
    String name, long version, Instant created, long parentVersion, Map<String, Double> metrics) {

  public ModelInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(created, "created");
    if (name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException(
          "model name must be 1 to 200 characters, was '" + name + "'");
    }
    if (version < 1) {
      throw new IllegalArgumentException("model version must be at least 1, was " + version);
    }
    if (parentVersion < 0 || parentVersion >= version) {
      throw new IllegalArgumentException(
          "parent version must be 0 (none) or below the version "
              + version
              + ", was "
              + parentVersion);
    }
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      if (e.getValue() == null || !Double.isFinite(e.getValue())) {
        throw new IllegalArgumentException(
            "metric '" + e.getKey() + "' must be finite, was " + e.getValue());
      }
    }
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** A first version with no parent and no metrics. */
  public static ModelInfo first(String name, Instant created) {
    return new ModelInfo(name, 1, created, 0, Map.of());
  }

  /** The same model under another version, parent and metrics. */
  public ModelInfo next(Instant created, Map<String, Double> newMetrics) {
    return new ModelInfo(name, version + 1, created, version, newMetrics);
  }
}
