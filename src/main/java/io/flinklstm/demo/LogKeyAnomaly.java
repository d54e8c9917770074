package io.flinklstm.demo;

/** The kinds of anomaly {@link LogKeyWorkload} injects into a host's log-key stream. */
public enum LogKeyAnomaly {
  /** The first two events of a session come in swapped order (auth before open, and so on). */
  OUT_OF_ORDER,
  /** A session lacks a required event: the one after its opening event is dropped. */
  MISSING,
  /** A log key the hosts never emit otherwise appears inside a session. */
  UNKNOWN
}
