package io.flinklstm.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the report says about the run besides the data: how long it took, which model versions were
 * published, and the settings worth showing.
 *
 * @param title the page title
 * @param runTime wall time of the run
 * @param threshold the anomaly likelihood at which an event is flagged
 * @param toleranceMillis how long after a window a flag still finds it
 * @param versions the model versions published during the run, oldest first
 * @param settings settings shown in the run table, in order
 */
public record RunSummary(
    String title,
    Duration runTime,
    double threshold,
    long toleranceMillis,
    List<Long> versions,
    Map<String, String> settings) {

  public RunSummary {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(runTime, "runTime");
    versions = List.copyOf(versions);
    settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
  }
}
