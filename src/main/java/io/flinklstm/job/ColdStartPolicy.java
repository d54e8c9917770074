package io.flinklstm.job;

/** What happens to events that arrive before their model can score them. */
public enum ColdStartPolicy {
  /**
   * Score numeric events at once with the naive forecast, each key's last value, through the same
   * per-key scaling and detector as a model's predictions (status {@code naive}), until a model is
   * served: a job detects level shifts, spikes and values out of range from its first events, and
   * the sidecar publishes only a model that beats that forecast. Symbol events, which have no naive
   * forecast here, are held as under {@link #BUFFER}. The default.
   */
  NAIVE,
  /**
   * Hold them in the key's state, up to a bound, and score them in order once a model arrives;
   * beyond the bound they go to the dead-letter topic.
   */
  BUFFER,
  /** Emit them at once as scores with status {@code no_model}. */
  PASS_THROUGH
}
