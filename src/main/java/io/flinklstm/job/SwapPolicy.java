package io.flinklstm.job;

/** What happens to a key's (h, c) when a new model version arrives. */
public enum SwapPolicy {
  /**
   * On the key's next event, reset (h, c) and replay the key's remembered recent inputs through the
   * new weights, so the state is one the new model would have built. The default.
   */
  REWARM,
  /** Keep (h, c) as they are, if the new model's state has the same shape; reset otherwise. */
  KEEP,
  /** Start the key from a zero state. */
  RESET
}
