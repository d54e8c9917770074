package io.flinklstm.cli;

import io.flinklstm.train.PromotionGate;
import picocli.CommandLine.Option;

/** The promotion gate's options, shared by {@code sidecar} and {@code evaluate}. */
final class GateOptions {
  @Option(
      names = "--gate-margin",
      defaultValue = "0.0",
      description =
          "Publish when validation loss <= (1 + M) x the current model's (default: ${DEFAULT-VALUE}).")
  double gateMargin;

  @Option(
      names = "--naive-margin",
      description =
          "Publish only a model whose validation loss is at most (1 - M) x that of repeating each"
              + " key's last value, and lower than it on most keys (default: ${DEFAULT-VALUE}).")
  double naiveMargin = PromotionGate.DEFAULT_NAIVE_MARGIN;

  /** The gate these options describe; fails naming the option when one is out of range. */
  PromotionGate gate() {
    return new PromotionGate(gateMargin, naiveMargin);
  }
}
