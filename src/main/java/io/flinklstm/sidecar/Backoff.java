package io.flinklstm.sidecar;

import java.time.Duration;

/** Exponential backoff: initial × 2^(attempt − 1), capped at a maximum. */
record Backoff(Duration initial, Duration max) {
  Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff: initial must be positive and max at least initial, were "
              + initial
              + " and "
              + max);
    }
  }

  Duration delay(int attempt) {
    int shift = Math.min(30, Math.max(0, attempt - 1));
    long millis = initial.toMillis() << shift;
    return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
  }
}
