package io.flinklstm.cli;

import io.flinklstm.detect.DetectorConfig;
import picocli.CommandLine.Option;

/**
 * The detector's options, shared by {@code job} and {@code evaluate} so an evaluation runs exactly
 * what a job would. The quiet period stays with each command: its default differs between them.
 */
final class DetectorOptions {
  @Option(
      names = "--warmup-events",
      defaultValue = "200",
      description = "Events per key before any anomaly flag (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--settle-events",
      defaultValue = "-1",
      description =
          "A key's first events whose errors stay out of its error statistics (a fresh state"
              + " predicts poorly), and as many after its state restarts (--max-gap, swap policy"
              + " reset); at most --warmup-events (default: half of --warmup-events).")
  int settleEvents;

  @Option(
      names = "--error-window",
      defaultValue = "1000",
      description =
          "Memory, in events, of each key's error statistics (default: ${DEFAULT-VALUE}).")
  int errorWindow;

  @Option(
      names = "--short-window",
      defaultValue = "10",
      description = "Events in the recent mean of raw scores (default: ${DEFAULT-VALUE}).")
  int shortWindow;

  @Option(
      names = "--long-window",
      defaultValue = "2000",
      description =
          "Memory, in events, of the long-run distribution of that recent mean (default: ${DEFAULT-VALUE}).")
  int longWindow;

  @Option(
      names = "--threshold",
      defaultValue = "0.9999",
      description = "Anomaly likelihood at which an event is flagged (default: ${DEFAULT-VALUE}).")
  double threshold;

  /** The detector these options describe; fails naming the option when one is out of range. */
  DetectorConfig config(int quietEvents) {
    return new DetectorConfig(
        warmup,
        settleEvents < 0 ? DetectorConfig.defaultSettleEvents(warmup) : settleEvents,
        errorWindow,
        shortWindow,
        longWindow,
        threshold,
        quietEvents);
  }
}
