package io.flinklstm.sidecar;

/**
 * Told when a training round of the {@link Sidecar} ends, on the sidecar's loop thread; keep it
 * short and never block in it.
 */
@FunctionalInterface
public interface RoundListener {
  RoundListener NONE = outcome -> {};

  /** What became of one round. */
  enum Decision {
    /** The gate passed the candidate and it was published as a new version. */
    PUBLISHED,
    /** The gate refused the candidate, or there was nothing to train on. */
    REFUSED,
    /** Training threw; the round is counted as refused. */
    FAILED
  }

  /**
   * @param decision what happened
   * @param version the version now current: the new one when published, else the unchanged one (0
   *     before any)
   * @param reason why, in a few words
   */
  record Outcome(Decision decision, long version, String reason) {}

  void roundFinished(Outcome outcome);
}
