package io.flinklstm.job;

/** What happens to events that arrive before any model can score them. */
public enum ColdStartPolicy {
  /**
   * Hold them in the key's state, up to a bound, and score them in order once a model arrives;
   * beyond the bound they go to the dead-letter topic. The default.
   */
  BUFFER,
  /** Emit them at once as scores with status {@code no_model}. */
  PASS_THROUGH
}
