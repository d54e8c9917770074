package io.flinklstm.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DemoRun} replays its dataset and judges the result.
 *
 * @param data the dataset to generate and replay
 * @param rate events per second over all keys; 0 sends as fast as the broker takes them
 * @param maxDuration the longest the run lasts; it ends earlier once every event is scored
 * @param toleranceEvents a flag this many events after an anomaly's end still finds it
 * @param hiddenSize the sidecar's LSTM hidden size, for the report
 * @param stepsPerRound the sidecar's optimiser updates per round, for the report
 */
public record DemoSettings(
    DatasetConfig data,
    double rate,
    Duration maxDuration,
    int toleranceEvents,
    int hiddenSize,
    int stepsPerRound) {

  public DemoSettings {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(maxDuration, "maxDuration");
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("--rate must be a non-negative number, was " + rate);
    }
    if (toleranceEvents < 0) {
      throw new IllegalArgumentException(
          "--tolerance-events must not be negative, was " + toleranceEvents);
    }
  }

  public long toleranceMillis() {
    return toleranceEvents * data.step().toMillis();
  }
}
