package io.flinklstm.demo;

import java.util.Objects;

/**
 * One key's stream of symbol events: {@code symbols[i]} came at {@code timestamps[i]}, in time
 * order.
 */
public record SymbolTimeline(String key, long[] timestamps, String[] symbols) {

  public SymbolTimeline {
    Objects.requireNonNull(key, "key");
    if (timestamps.length != symbols.length) {
      throw new IllegalArgumentException(
          "key '"
              + key
              + "': "
              + timestamps.length
              + " timestamps but "
              + symbols.length
              + " symbols");
    }
    for (int i = 1; i < timestamps.length; i++) {
      if (timestamps[i] < timestamps[i - 1]) {
        throw new IllegalArgumentException(
            "key '" + key + "': event " + i + " comes before the one preceding it");
      }
    }
  }

  public int length() {
    return timestamps.length;
  }
}
