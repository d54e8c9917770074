package io.flinklstm.detect;

/**
 * What a next-symbol model makes of the symbol that came, by the top-g rule of {@link SymbolJudge}.
 */
public enum SymbolVerdict {
  /** The symbol is among the g most likely predictions. */
  EXPECTED,
  /** The symbol is known but not among the g most likely predictions: DeepLog's anomaly. */
  NOT_IN_TOP_G,
  /** The symbol is not in the model's vocabulary at all: an anomaly of its own kind. */
  UNKNOWN
}
