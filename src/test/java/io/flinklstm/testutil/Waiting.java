package io.flinklstm.testutil;

import java.time.Duration;

/** Waiting for a condition that another thread or process makes true, with a deadline. */
public final class Waiting {
  private static final long PAUSE_MILLIS = 50;

  private Waiting() {}

  /** A condition that may throw while it is checked. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Checks the condition every 50 ms until it holds.
   *
   * @throws AssertionError naming {@code what} when it does not hold within the timeout
   */
  public static void until(String what, Duration timeout, Condition condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(PAUSE_MILLIS);
    }
  }
}
