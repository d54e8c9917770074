package io.flinklstm.job;

/** What happens to an event older than its key's last processed event. */
public enum LatePolicy {
  /** Send it to the dead-letter topic with reason {@code late}. The default. */
  DEAD_LETTER,
  /** Score it against the key's current prediction without stepping the state or its statistics. */
  SCORE_ONLY
}
